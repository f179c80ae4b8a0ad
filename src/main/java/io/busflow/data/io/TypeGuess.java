package io.busflow.data.io;

import io.busflow.data.ColumnType;

/** What the sampled values of one column allow; see {@link Schema} for the rules. */
final class TypeGuess {

  private boolean sawValue;
  private boolean numeric = true;
  private boolean bool = true;
  private boolean text;

  /** Takes one CSV field; an empty field is missing and proves nothing. */
  void offerText(String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    sawValue = true;
    if (numeric && !Values.isNumber(value)) {
      numeric = false;
    }
    if (bool && Values.parseBoolean(value) < 0) {
      bool = false;
    }
  }

  /** Takes a JSON number. */
  void offerNumber() {
    sawValue = true;
    bool = false;
  }

  /** Takes a JSON boolean. */
  void offerBoolean() {
    sawValue = true;
    numeric = false;
  }

  /** Takes a JSON string, object or array. */
  void offerOther() {
    sawValue = true;
    text = true;
  }

  ColumnType result() {
    if (!sawValue || text) {
      return ColumnType.STRING;
    }
    if (numeric) {
      return ColumnType.NUMERIC;
    }
    return bool ? ColumnType.BOOLEAN : ColumnType.STRING;
  }
}
