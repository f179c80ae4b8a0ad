package io.busflow.data.io;

import io.busflow.data.ColumnType;

/**
 * What the sampled values of one column allow, and which value on which line decided it; see
 * {@link Schema} for the rules. A column whose values are mostly numbers is numeric: a few values that are
 * not (a stray {@code n/a}, {@code Infinity}, {@code "1,000"}, a repeated header line) do not make it text;
 * reading then treats each of them as a bad row, with its line and value.
 */
final class TypeGuess {

  private long numbers;
  private long booleans;
  private long others;
  private long values;
  private String firstNumber;
  private String firstOther;
  private String firstValue;

  /** Takes one CSV field on {@code line}; an empty field is missing and proves nothing. */
  void offerText(String value, long line) {
    if (value == null || value.isEmpty()) {
      return;
    }
    boolean number = Values.isNumber(value);
    boolean bool = Values.parseBoolean(value) >= 0;
    count(number, bool, at(line, value));
  }

  /** Takes a JSON number. */
  void offerNumber(long line, String value) {
    count(true, false, at(line, value));
  }

  /** Takes a JSON boolean. */
  void offerBoolean(long line, String value) {
    count(false, true, at(line, value));
  }

  /** Takes a JSON string, object or array. */
  void offerOther(long line, String value) {
    count(false, false, at(line, value));
  }

  private void count(boolean number, boolean bool, String where) {
    values++;
    firstValue = firstValue == null ? where : firstValue;
    if (number) {
      numbers++;
      firstNumber = firstNumber == null ? where : firstNumber;
    }
    if (bool) {
      booleans++;
    }
    if (!number && !bool) {
      others++;
      firstOther = firstOther == null ? where : firstOther;
    }
  }

  private static String at(long line, String value) {
    return "line " + line + ": " + Values.quoted(Values.shortened(value));
  }

  ColumnType result() {
    if (values == 0) {
      return ColumnType.STRING;
    }
    if (booleans == values && numbers < values) {
      return ColumnType.BOOLEAN;
    }
    return numbers * 2 > values ? ColumnType.NUMERIC : ColumnType.STRING;
  }

  /** Which sampled value decided {@link #result()}, and what happens to the others. */
  String reason(int sampleRows) {
    if (values == 0) {
      return "no value in the first " + sampleRows + " rows";
    }
    return switch (result()) {
      case NUMERIC -> "numbers, first " + firstNumber + (values > numbers ? "; " + (values - numbers) + " sampled "
          + "value(s) are not numbers, first " + (firstOther != null ? firstOther : firstValue)
          + ": such rows are bad rows" : "");
      case BOOLEAN -> "true/false, first " + firstValue;
      case STRING -> "text: " + (firstOther != null ? firstOther : firstValue) + " is not a number"
          + (numbers > 0 ? " (" + numbers + " of " + values + " sampled values are numbers)" : "");
    };
  }
}
