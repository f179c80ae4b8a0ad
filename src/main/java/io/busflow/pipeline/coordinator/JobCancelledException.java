package io.busflow.pipeline.coordinator;

/** Ends a job that was asked to stop. */
final class JobCancelledException extends RuntimeException {

  JobCancelledException() {
    super("the job was cancelled on request; it wrote nothing (no predictions, model, preprocessor or report)", null, false, false);
  }
}
