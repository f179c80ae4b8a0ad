/**
 * Typed, validated configuration records parsed from {@code conf/*.json}. An unknown key or a value of the
 * wrong type or range fails with the key's full path. May import Vert.x JSON types; nothing else of busflow.
 */
package io.busflow.config;
