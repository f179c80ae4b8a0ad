/**
 * Benchmarks behind {@code ./run.sh bench …}: each prints busflow's figure beside a baseline measured in the
 * same run, as a ratio, and ends with one machine-readable line. Wiring level; nothing imports it. Outside the
 * product jar: compiled from src/bench/java with the tests and packaged alone as target/busflow-bench.jar.
 */
package io.busflow.bench;
