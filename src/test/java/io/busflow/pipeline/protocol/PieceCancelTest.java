package io.busflow.pipeline.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A cancel names the pass of the attempt it stops: a fit pass that starts again numbers its attempts from 0 again,
 * and a cancel the pass before published for its own attempt 0 (it may reach a runner late) must not stop the new
 * one. A job's cancel stops every run of the job.
 */
class PieceCancelTest {

  private static PieceProtocol.Run run(String job, int piece, int attempt, String pass) {
    return new PieceProtocol.Run(job, "p", piece, attempt, null, List.of(), null, null, null, null, null, false, false,
        null, false, 6, 4, 1000, 1000, "cid", pass, null);
  }

  @Test
  void anAttemptsCancel_coversThatAttemptOfItsOwnPassOnly() {
    PieceProtocol.Cancel old = new PieceProtocol.Cancel("j", 2, 0, "pass-1");
    assertTrue(old.covers(run("j", 2, 0, "pass-1")));
    assertFalse(old.covers(run("j", 2, 0, "pass-2")), "the same piece and attempt number of the pass started again");
    assertFalse(old.covers(run("j", 2, 1, "pass-1")));
    assertFalse(old.covers(run("j", 3, 0, "pass-1")));
    assertFalse(old.covers(run("k", 2, 0, "pass-1")));
  }

  @Test
  void aJobsCancel_coversEveryRunOfTheJob_andTheWireFormKeepsThePass() {
    PieceProtocol.Cancel all = PieceProtocol.Cancel.job("j");
    assertTrue(all.covers(run("j", 0, 0, "pass-1")) && all.covers(run("j", 5, 3, "pass-2")));
    assertFalse(all.covers(run("k", 0, 0, "pass-1")));
    PieceProtocol.Cancel one = new PieceProtocol.Cancel("j", 2, 0, "pass-1");
    assertEquals(one, PieceProtocol.Cancel.fromJson(one.toJson()));
    assertEquals(all, PieceProtocol.Cancel.fromJson(all.toJson()));
  }
}
