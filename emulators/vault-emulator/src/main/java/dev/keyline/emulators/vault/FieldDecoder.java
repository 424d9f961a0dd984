package dev.keyline.emulators.vault;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Converts request fields to the types a Vault path declares, with the same leniency as Vault's
 * framework (numbers may arrive as strings, {@code "1,2"} is an int list) and the same 400 when a
 * value cannot be converted.
 *
 * <p>Why: quarkus-vault and other clients send {@code "cas": 1} but the CLI sends {@code "1"};
 * accepting one and rejecting the other would make the emulator disagree with Vault.
 */
final class FieldDecoder {

  private FieldDecoder() {}

  static OptionalInt intField(VaultRequest request, String name) {
    JsonNode value = request.field(name);
    if (value == null) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(toInt(value, name));
  }

  static Optional<Boolean> boolField(VaultRequest request, String name) {
    JsonNode value = request.field(name);
    if (value == null) {
      return Optional.empty();
    }
    if (value.isBoolean()) {
      return Optional.of(value.booleanValue());
    }
    if (value.isNumber()) {
      return Optional.of(value.doubleValue() != 0);
    }
    if (value.isTextual()) {
      Boolean parsed = VaultRequest.parseGoBool(value.textValue());
      if (parsed != null) {
        return Optional.of(parsed);
      }
    }
    throw conversionError(value, name);
  }

  /** A map field; a JSON string holding an object is accepted as Vault does. */
  static Optional<ObjectNode> mapField(VaultRequest request, String name) {
    JsonNode value = request.field(name);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof ObjectNode object) {
      return Optional.of(object);
    }
    if (value.isTextual()) {
      try {
        JsonNode parsed = Json.MAPPER.readTree(value.textValue());
        if (parsed instanceof ObjectNode object) {
          return Optional.of(object);
        }
      } catch (JacksonException e) {
        // falls through to the conversion error
      }
    }
    throw conversionError(value, name);
  }

  /** Vault's comma-int-slice: {@code [1,"2"]}, {@code "1,2"} or a single number. */
  static List<Integer> intListField(VaultRequest request, String name) {
    JsonNode value = request.field(name);
    List<Integer> result = new ArrayList<>();
    if (value == null) {
      return result;
    }
    if (value.isArray()) {
      for (JsonNode element : value) {
        result.add(toInt(element, name));
      }
    } else if (value.isTextual()) {
      for (String part : value.textValue().split(",")) {
        if (!part.isBlank()) {
          result.add(parseInt(part.trim(), value, name));
        }
      }
    } else {
      result.add(toInt(value, name));
    }
    return result;
  }

  /** A duration given in seconds or as a Go duration string such as {@code "1h30m"}. */
  static Optional<Duration> durationField(VaultRequest request, String name) {
    JsonNode value = request.field(name);
    if (value == null) {
      return Optional.empty();
    }
    if (value.isIntegralNumber()) {
      return Optional.of(Duration.ofSeconds(value.longValue()));
    }
    if (value.isTextual()) {
      Duration parsed = GoDuration.parse(value.textValue());
      if (parsed != null) {
        return Optional.of(parsed);
      }
    }
    throw conversionError(value, name);
  }

  private static int toInt(JsonNode value, String name) {
    if (value.isNumber()) {
      return value.intValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue() ? 1 : 0;
    }
    if (value.isTextual()) {
      return value.textValue().isEmpty() ? 0 : parseInt(value.textValue(), value, name);
    }
    throw conversionError(value, name);
  }

  private static int parseInt(String text, JsonNode value, String name) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw conversionError(value, name);
    }
  }

  private static VaultApiException conversionError(JsonNode value, String name) {
    String shown = value.isTextual() ? value.textValue() : value.toString();
    return VaultApiException.badRequest(
        "error converting input " + shown + " for field \"" + name + "\"");
  }
}
