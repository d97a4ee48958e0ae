package graphctl;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Runs a real Neo4j Community DBMS (embedded) with a Bolt connector, for tests.
 *
 * <pre>
 *   java -cp ... graphctl.EmbeddedNeo4j PORT HOME_DIR [PAGECACHE]
 * </pre>
 *
 * <ul>
 *   <li>Bolt on 127.0.0.1:PORT, no TLS, authentication disabled, HTTP/HTTPS off.</li>
 *   <li>All files (databases, transaction logs, logs/debug.log) live under HOME_DIR.</li>
 *   <li>Prints exactly one line {@code READY bolt://127.0.0.1:PORT} on stdout once the
 *       default database is available, and shuts down cleanly on SIGTERM/SIGINT.</li>
 * </ul>
 */
public final class EmbeddedNeo4j {
    private EmbeddedNeo4j() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: EmbeddedNeo4j PORT HOME_DIR [PAGECACHE_MIB]");
            System.exit(2);
        }
        final int port;
        try {
            port = Integer.parseInt(args[0]);
        } catch (NumberFormatException e) {
            System.err.println("invalid port: " + args[0]);
            System.exit(2);
            return;
        }
        final Path home = Path.of(args[1]).toAbsolutePath();
        final long pageCacheMib = args.length == 3 ? Long.parseLong(args[2]) : 256L;
        Files.createDirectories(home);

        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        final SocketAddress bolt = new SocketAddress("127.0.0.1", port);

        final long t0 = System.nanoTime();
        final DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(home)
                    // Neo4j's user log (neo4j.log) -> stderr, so the launcher's log has it.
                    .setUserLogProvider(new Log4jLogProvider(System.err, Level.INFO))
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, bolt)
                    .setConfig(BoltConnector.advertised_address, bolt)
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    // Bolt otherwise waits 2 x 5 s on shutdown (internal settings, defaults 5 s);
                    // a throw-away test server does not need the grace periods.
                    .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ZERO)
                    .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ZERO)
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(HttpsConnector.enabled, false)
                    .setConfig(GraphDatabaseSettings.auth_enabled, false)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMib))
                    .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                    // no "anonymous usage data" phone-home from test servers
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    .build();
        } catch (Throwable t) {
            System.err.println("FAILED to start Neo4j: " + t);
            t.printStackTrace();
            System.exit(1);
            return;
        }

        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("Shutting down Neo4j ...");
            final long s0 = System.nanoTime();
            try {
                dbms.shutdown();
            } catch (Throwable t) {
                System.err.println("error during shutdown: " + t);
            }
            System.err.println("Neo4j stopped in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s0) + " ms.");
            stopped.countDown();
        }, "neo4j-shutdown"));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(TimeUnit.MINUTES.toMillis(2))) {
            System.err.println("FAILED: default database did not become available");
            System.exit(1);
        }
        db.executeTransactionally("RETURN 1");

        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.err.println("Neo4j started in " + ms + " ms, home " + home);
        out.println("READY bolt://127.0.0.1:" + port);

        // Keep the JVM alive until the shutdown hook has run (SIGTERM/SIGINT).
        stopped.await();
    }
}
