package io.dnshandling.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.ServiceClient;
import io.dnshandling.support.ServiceProcess;
import io.dnshandling.support.TestDnsResource;
import io.dnshandling.support.WebhookReceiver;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Events outlive the process that recorded them: refused while one replica ran, delivered by the next. */
class WebhookDeliveryIT {

    @Test
    void events_refused_before_a_kill_are_delivered_once_after_the_restart() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            Map<String, String> env = Map.of("WEBHOOK_URLS", receiver.url(), "WEBHOOK_SECRET", WebhookReceiver.SECRET,
                    "DNS_RESOLVERS", "127.0.0.1:" + TestDnsResource.server().port());
            receiver.refuse(true);
            RegisteredDomain d;
            try (ServiceProcess first = ServiceProcess.start("webhooks-before", env)) {
                ServiceClient api = new ServiceClient(first);
                d = api.register("hooked-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com");
                TestDnsResource.server().txt(d.challengeName(), d.token());
                api.verifyDelegated(d.id());
                // Tried and refused at least once, so the events are known to have been pending.
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> receiver.refusedIds().size() >= 2);
                first.kill();
            }
            receiver.refuse(false);
            try (ServiceProcess second = ServiceProcess.start("webhooks-after", env)) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> receiver.about(d.id()).size() >= 2);
            }
            var events = receiver.about(d.id());
            assertThat(events).hasSize(2).allMatch(WebhookReceiver.Received::signatureValid);
            assertThat(events.stream().map(WebhookReceiverEvents::to)).containsExactly("pending", "verified");
            assertThat(events.stream().map(WebhookReceiver.Received::id).distinct()).hasSize(2);
        }
    }
}
