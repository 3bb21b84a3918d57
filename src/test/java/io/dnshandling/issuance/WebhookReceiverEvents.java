package io.dnshandling.issuance;

import io.dnshandling.support.WebhookReceiver;
import io.restassured.path.json.JsonPath;

/** Reads fields of received event bodies. */
final class WebhookReceiverEvents {

    private WebhookReceiverEvents() {
    }

    static String to(WebhookReceiver.Received event) {
        return JsonPath.from(event.body()).getString("to");
    }
}
