package io.busflow.stage.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.lang.ref.Cleaner;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Runtime sessions by the SHA-256 of the model file's bytes, shared by every model and stage instance
 * in this JVM (so by every instance on a node): a session is made once per model content. Holds at most
 * {@value #CAPACITY} sessions; one dropped from the cache is closed once no loaded model uses it any more.
 * Thread-safe; ONNX Runtime's {@code run} is safe to call from several threads at once.
 */
final class OnnxSessions {

  static final int CAPACITY = 32;

  private static final Cleaner CLEANER = Cleaner.create();
  private static final Map<String, Shared> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Shared> eldest) {
      return size() > CAPACITY;
    }
  };

  /** A session that loaded models hold; closed by the cleaner when none does and the cache dropped it. */
  static final class Shared {
    final OrtSession session;

    private Shared(OrtSession session) {
      this.session = session;
      CLEANER.register(this, () -> closeQuietly(session));
    }
  }

  private OnnxSessions() {}

  /** The session of the model whose bytes hash to {@code sha256}, made from {@code bytes} when new. */
  static synchronized Shared of(String sha256, byte[] bytes) throws OrtException {
    Shared s = CACHE.get(sha256);
    if (s == null) {
      s = new Shared(create(bytes));
      CACHE.put(sha256, s);
    }
    return s;
  }

  /** How many sessions the cache holds (for tests). */
  static synchronized int size() {
    return CACHE.size();
  }

  private static OrtSession create(byte[] bytes) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      // parallelism comes from busflow's stage instances; one ONNX Runtime thread per run keeps cores fair
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      return OrtEnvironment.getEnvironment().createSession(bytes, options);
    }
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException e) {
      // nothing to do: the session's memory is released either way
    }
  }
}
