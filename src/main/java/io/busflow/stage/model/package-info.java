/**
 * busflow's own model types behind the stage SPI: {@code logistic}, {@code linear} and {@code ridge}, whose
 * arithmetic lives in {@link io.busflow.data.model}. Imports {@code data} and {@code stage}.
 */
package io.busflow.stage.model;
