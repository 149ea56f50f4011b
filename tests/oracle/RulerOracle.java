/*
 * RulerOracle: drives aws/event-ruler (https://github.com/aws/event-ruler), the open-source
 * matching engine behind EventBridge and Lambda event filtering, so that esmcfg's own filter
 * checker and matcher can be compared with it from outside.
 *
 * This file is esmcfg's own code; it contains nothing of event-ruler. It needs event-ruler's
 * classes (event-ruler.jar, plus oracle-compat.jar when built by build.sh) and Jackson
 * (jackson-core, jackson-databind, jackson-annotations) on the classpath:
 *
 *   java -cp event-ruler.jar:oracle-compat.jar:jackson-core.jar:jackson-databind.jar:\
 *            jackson-annotations.jar:<dir of RulerOracle.class> RulerOracle < cases.jsonl
 *
 * Input: JSON Lines on stdin, one case per line:
 *   {"id": <any JSON>, "pattern": "<pattern JSON text>", "event": "<event JSON text>"}
 * "event" may be absent (or null): then only the pattern is checked.
 *
 * Output: one JSON line per non-blank input line, in order:
 *   {"id": <as given>, "valid": true|false, "error": <string|null>, "match": true|false|null}
 * plus, when useful, "error_reason" (event-ruler's message without the parser location),
 * "error_json_rule_compiler" (JsonRuleCompiler.check's message when it differs from the message
 * addRule threw, which may come from the legacy-compiler fallback) and "event_error" (the event
 * could not be matched, e.g. it is not a JSON object; match is null).
 * A line that is not a JSON object with a string "pattern" gives
 *   {"id": <id or null>, "valid": false, "error": "driver: ...", "match": null}
 * and the driver goes on with the next line.
 *
 * Semantics, chosen to be what a service using event-ruler does:
 * - validity: a fresh Machine per case and Machine.addRule(name, patternJson). That entry point
 *   compiles with JsonRuleCompiler (which understands "$or"; no switch is needed) and, when that
 *   compiler rejects the text with a JsonParseException, retries with the legacy RuleCompiler,
 *   exactly as GenericMachine.addRule does. A pattern is valid when addRule returns normally.
 * - matching: Machine.rulesForJSONEvent(eventJson), the array-consistent JSON-event path (not the
 *   flattened-field rulesForEvent API); match is true when the rule is returned.
 * All cases run in this one JVM.
 */

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.Machine;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

public final class RulerOracle {

    private static final String RULE_NAME = "rule";

    private final ObjectMapper mapper = new ObjectMapper();

    private RulerOracle() {
    }

    public static void main(String[] args) throws IOException {
        System.err.println("RulerOracle: java " + System.getProperty("java.version")
                + ", jackson-core " + com.fasterxml.jackson.core.json.PackageVersion.VERSION
                + ", jackson-databind " + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION
                + ", event-ruler " + System.getProperty("ruler.version", "(see VERSION)"));
        new RulerOracle().run();
    }

    private void run() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        String line;
        while ((line = in.readLine()) != null) {
            if (line.trim().isEmpty()) {
                continue;
            }
            out.write(mapper.writeValueAsString(handle(line)));
            out.write('\n');
            if (!in.ready()) {
                out.flush();
            }
        }
        out.flush();
    }

    private ObjectNode handle(String line) {
        JsonNode request;
        try {
            request = mapper.readTree(line);
        } catch (JsonProcessingException e) {
            return driverError(NullNode.getInstance(), "input line is not JSON: " + e.getOriginalMessage());
        }
        if (request == null || !request.isObject()) {
            return driverError(NullNode.getInstance(), "input line is not a JSON object");
        }
        JsonNode id = request.has("id") ? request.get("id") : NullNode.getInstance();
        JsonNode pattern = request.get("pattern");
        if (pattern == null || !pattern.isTextual()) {
            return driverError(id, "\"pattern\" must be a string holding the pattern's JSON text");
        }
        JsonNode event = request.get("event");
        if (event != null && !event.isNull() && !event.isTextual()) {
            return driverError(id, "\"event\" must be a string holding the event's JSON text");
        }

        ObjectNode result = mapper.createObjectNode();
        result.set("id", id);
        Machine machine = new Machine();
        try {
            machine.addRule(RULE_NAME, pattern.textValue());
        } catch (Exception e) {
            return invalid(result, e, pattern.textValue());
        } catch (StackOverflowError e) {
            result.put("valid", false);
            result.put("error", "StackOverflowError: pattern nested too deeply for event-ruler");
            result.putNull("match");
            return result;
        }
        result.put("valid", true);
        result.putNull("error");
        if (event == null || event.isNull()) {
            result.putNull("match");
            return result;
        }
        try {
            List<String> matched = machine.rulesForJSONEvent(event.textValue());
            result.put("match", matched.contains(RULE_NAME));
        } catch (Exception e) {
            result.putNull("match");
            result.put("event_error", describe(e));
        } catch (StackOverflowError e) {
            result.putNull("match");
            result.put("event_error", "StackOverflowError: event nested too deeply for event-ruler");
        }
        return result;
    }

    private static ObjectNode invalid(ObjectNode result, Exception e, String pattern) {
        result.put("valid", false);
        result.put("error", describe(e));
        if (e instanceof JsonProcessingException) {
            result.put("error_reason", ((JsonProcessingException) e).getOriginalMessage());
        }
        // addRule falls back to the legacy RuleCompiler when JsonRuleCompiler rejects the text, so the
        // message above can come from the fallback; JsonRuleCompiler's own verdict is often the clearer one.
        String primary;
        try {
            primary = JsonRuleCompiler.check(pattern);
        } catch (StackOverflowError overflow) {
            primary = "StackOverflowError";
        }
        if (primary != null && !primary.equals(result.get("error").textValue())) {
            result.put("error_json_rule_compiler", primary);
        }
        result.putNull("match");
        return result;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isEmpty() ? e.getClass().getName() : message;
    }

    private ObjectNode driverError(JsonNode id, String message) {
        ObjectNode result = mapper.createObjectNode();
        result.set("id", id);
        result.put("valid", false);
        result.put("error", "driver: " + message);
        result.putNull("match");
        return result;
    }
}
