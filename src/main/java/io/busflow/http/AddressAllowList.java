package io.busflow.http;

import io.busflow.actor.Actors;
import io.busflow.actor.NodeActors;
import io.busflow.config.ConfigException;
import io.busflow.config.ConfigReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which event-bus addresses a door from outside (the {@code /api/v1/bus} endpoint, the SockJS bridge) may
 * reach: exact names and regular expressions that must match the whole address. Internal addresses are never
 * reachable, whatever the list says: {@code busflow.deadletters}, busflow's reply addresses
 * ({@code busflow.reply.*}), the nodes' directory ({@code busflow.nodes.*}), Vert.x's own ({@code __vertx.*},
 * anything starting with {@code __}), and addresses that are blank, longer than {@value #MAX_LENGTH} characters or contain whitespace or control
 * characters.
 *
 * @param addresses exact addresses
 * @param regexes patterns, each matching a whole address
 */
public record AddressAllowList(Set<String> addresses, List<Pattern> regexes) {

  /** The longest address a client may name. */
  public static final int MAX_LENGTH = 256;

  private static final List<String> INTERNAL_PREFIXES = List.of("busflow.reply.", NodeActors.DIRECTORY_PREFIX, "__");

  /** Reaches nothing. */
  public static final AddressAllowList NONE = new AddressAllowList(Set.of(), List.of());

  public AddressAllowList {
    addresses = Set.copyOf(addresses);
    regexes = List.copyOf(regexes);
  }

  /** Reads {@code addresses} and {@code addressRegexes} of {@code r}; a bad entry fails naming its path. */
  public static AddressAllowList read(ConfigReader r) {
    List<String> exact = r.strings("addresses", List.of());
    for (int i = 0; i < exact.size(); i++) {
      String why = internal(exact.get(i));
      if (why != null) {
        throw new ConfigException(r.path("addresses") + "[" + i + "]", "'" + exact.get(i) + "' " + why
            + "; remove it");
      }
    }
    List<String> patterns = r.strings("addressRegexes", List.of());
    List<Pattern> compiled = new ArrayList<>();
    for (int i = 0; i < patterns.size(); i++) {
      compiled.add(compile(patterns.get(i), r.path("addressRegexes") + "[" + i + "]"));
    }
    r.done();
    return new AddressAllowList(Set.copyOf(exact), compiled);
  }

  private static Pattern compile(String regex, String path) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new ConfigException(path, "'" + regex + "' is not a valid regular expression ("
          + e.getDescription() + " near index " + e.getIndex() + "); remember it must match the whole address, "
          + "e.g. 'busflow\\\\.jobs\\\\..*'");
    }
  }

  /** Whether a client may reach {@code address}: allowed, and not internal. */
  public boolean allows(String address) {
    return address != null && internal(address) == null && listed(address);
  }

  private boolean listed(String address) {
    if (addresses.contains(address)) {
      return true;
    }
    for (Pattern p : regexes) {
      if (p.matcher(address).matches()) {
        return true;
      }
    }
    return false;
  }

  /** Why {@code address} is never reachable from outside, or {@code null} when it may be allowed. */
  static String internal(String address) {
    String malformed = malformed(address);
    if (malformed != null) {
      return malformed;
    }
    if (address.equals(Actors.DEAD_LETTERS)) {
      return "is busflow's dead-letter address, which is never reachable from outside";
    }
    for (String prefix : INTERNAL_PREFIXES) {
      if (address.startsWith(prefix)) {
        return "is an internal address (" + prefix + "…), which is never reachable from outside";
      }
    }
    return null;
  }

  /** Why {@code address} is not an address at all (blank, too long, whitespace), or {@code null}. */
  static String malformed(String address) {
    if (address.isBlank()) {
      return "is blank";
    }
    if (address.length() > MAX_LENGTH) {
      return "is longer than " + MAX_LENGTH + " characters";
    }
    if (address.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      return "contains whitespace or control characters";
    }
    return null;
  }

  /** True when nothing is allowed. */
  public boolean isEmpty() {
    return addresses.isEmpty() && regexes.isEmpty();
  }
}
