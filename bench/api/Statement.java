/**
 * Prints the statement behind {@code GET /domains/{id}} as the service sends it, for bench/api to run it
 * alone under pgbench: {@code java -cp target/dns-handling-runner.jar bench/api/Statement.java}.
 */
class Statement {
    public static void main(String[] args) {
        System.out.println(io.dnshandling.domain.DomainOverviews.STATEMENT);
    }
}
