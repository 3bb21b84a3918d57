package io.dnshandling.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The issuance world (Pebble, unbound, the customer zone, the service's DNS server) with Pebble's
 * CAA identity configured, shared by the tests that read CAA, so the service starts once for all of them.
 */
public class PebbleProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("acme.caa-identities", "pebble.test");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(AcmeTestBedResource.class));
    }
}
