package io.dnshandling.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.ValidatableResponse;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of a list response, its body read once with Jackson. rest-assured's {@code JsonPath}
 * parses the whole body again for every path asked of it: 60-290 ms for a page of 200 domains and
 * three paths on this machine, against about 1 ms here, and the list tests read thousands of
 * such pages.
 */
public final class ListPage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode body;
    private final String field;

    private ListPage(JsonNode body, String field) {
        this.body = body;
        this.field = field;
    }

    /** The page in {@code response}, its items under {@code field} (such as {@code domains}). */
    public static ListPage of(ValidatableResponse response, String field) {
        try {
            return new ListPage(JSON.readTree(response.extract().asString()), field);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code key} of every item, in the page's order; null where an item's value is null or absent. */
    public List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        body.path(field).forEach(item -> out.add(text(item.path(key))));
        return out;
    }

    /** The page's next_cursor, null on the last page. */
    public String nextCursor() {
        return text(body.path("next_cursor"));
    }

    private static String text(JsonNode value) {
        return value.isNull() || value.isMissingNode() ? null : value.asText();
    }
}
