package io.kompactor.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kompactor.snapshot.Json;

import java.io.PrintWriter;
import java.util.Collection;

/** {@code --json}: one JSON document on stdout per command, nothing else there. */
final class JsonOut {
    private JsonOut() {
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static ArrayNode strings(ObjectNode parent, String field, Collection<String> values) {
        ArrayNode a = parent.putArray(field);
        values.forEach(a::add);
        return a;
    }

    static void print(PrintWriter out, ObjectNode document) {
        out.println(Json.pretty(document));
        out.flush();
    }
}
