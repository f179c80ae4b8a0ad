package io.busflow.pipeline;

/** Ends a job that was asked to stop. */
final class JobCancelledException extends RuntimeException {

  JobCancelledException() {
    super("the job was cancelled on request; no output was written", null, false, false);
  }
}
