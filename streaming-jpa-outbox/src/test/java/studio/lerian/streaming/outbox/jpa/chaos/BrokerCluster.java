package studio.lerian.streaming.outbox.jpa.chaos;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import studio.lerian.streaming.core.support.BrokerProcess;
import studio.lerian.streaming.core.support.FreePorts;
import studio.lerian.streaming.core.support.TopicClient;

/**
 * A real Apache Kafka cluster of three KRaft nodes, each a separate OS process ({@link BrokerProcess}) on 127.0.0.1,
 * each with the broker and controller roles (combined mode: the three controllers form the metadata quorum, so the
 * cluster keeps a controller while any two nodes live). Topics get replication factor 3 and
 * {@code min.insync.replicas=2}: an {@code acks=all} write needs two live replicas, so the cluster takes writes with
 * one node down and refuses them with two down.
 *
 * <p>Nodes are numbered from 1 (their {@code node.id}).
 */
final class BrokerCluster implements AutoCloseable {

    static final int SIZE = 3;
    static final int MIN_IN_SYNC = 2;

    private final List<BrokerProcess> nodes = new ArrayList<>();
    private final String bootstrap;

    /** Formats the three nodes' storage under {@code parent}; {@link #start()} starts them. */
    BrokerCluster(Path parent) {
        Path dir = BrokerProcess.newDir(parent, "cluster-");
        int[] picked = FreePorts.pick(2 * SIZE);
        int[] ports = new int[SIZE];
        int[] controllerPorts = new int[SIZE];
        List<String> voters = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            ports[i] = picked[2 * i];
            controllerPorts[i] = picked[2 * i + 1];
            voters.add((i + 1) + "@127.0.0.1:" + controllerPorts[i]);
        }
        for (int i = 0; i < SIZE; i++) {
            Path nodeDir = dir.resolve("node-" + (i + 1));
            Properties props = nodeProperties(i + 1, ports[i], controllerPorts[i], String.join(",", voters),
                    nodeDir.resolve("data"));
            nodes.add(new BrokerProcess(nodeDir, props, "127.0.0.1:" + ports[i]));
        }
        bootstrap = nodes.stream().map(BrokerProcess::bootstrap).collect(Collectors.joining(","));
    }

    private static Properties nodeProperties(int id, int port, int controllerPort, String voters, Path dataDir) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(id));
        props.put("controller.quorum.voters", voters);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", dataDir.toString());
        props.put("num.partitions", "3");
        props.put("default.replication.factor", Integer.toString(SIZE));
        props.put("min.insync.replicas", Integer.toString(MIN_IN_SYNC));
        props.put("unclean.leader.election.enable", "false");
        props.put("auto.create.topics.enable", "false");
        props.put("offsets.topic.replication.factor", Integer.toString(SIZE));
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", Integer.toString(SIZE));
        props.put("transaction.state.log.min.isr", Integer.toString(MIN_IN_SYNC));
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", Integer.toString(SIZE));
        props.put("share.coordinator.state.topic.min.isr", Integer.toString(MIN_IN_SYNC));
        props.put("share.coordinator.state.topic.num.partitions", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // A killed node is fenced (and so dropped from every ISR, and its leaderships moved) once its session expires:
        // keep that short (a few seconds), and let a restarted node re-register without waiting for its old
        // registration to expire.
        props.put("broker.session.timeout.ms", "3000");
        props.put("broker.heartbeat.interval.ms", "500");
        // On a busy 2-core machine the default 2 s without a fetch from the quorum leader is often exceeded by a
        // starved process: the metadata quorum then keeps electing, and restarted nodes are never unfenced.
        props.put("controller.quorum.fetch.timeout.ms", "6000");
        props.put("controller.quorum.election.timeout.ms", "2000");
        return props;
    }

    /** @return the bootstrap list of all three nodes, as an application would configure it */
    String bootstrap() {
        return bootstrap;
    }

    /** @return node {@code id} (1 to 3) */
    BrokerProcess node(int id) {
        return nodes.get(id - 1);
    }

    /** Starts every node that is not running and waits until each answers. */
    BrokerCluster start() {
        nodes.forEach(BrokerProcess::launch);
        nodes.forEach(BrokerProcess::awaitServing);
        return this;
    }

    /** Kills the given nodes with SIGKILL, one right after the other. */
    void kill(int... ids) {
        for (int id : ids) {
            node(id).kill();
        }
    }

    /** @return how many node processes are running */
    int alive() {
        return (int) nodes.stream().filter(BrokerProcess::isAlive).count();
    }

    void createTopic(String name, int partitions) {
        TopicClient.createTopic(bootstrap, name, partitions, SIZE);
    }

    /** Waits until every partition of the topic has a leader and all three replicas in sync. */
    void awaitInSync(String topic, Duration atMost) {
        await("all " + SIZE + " replicas of " + topic + " in sync").atMost(atMost).pollInterval(Duration.ofMillis(250))
                .until(() -> TopicClient.fullyInSync(bootstrap, topic, SIZE));
    }

    List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected, Duration timeout) {
        return TopicClient.consume(bootstrap, topic, expected, timeout);
    }

    @Override
    public void close() {
        nodes.forEach(BrokerProcess::kill);
    }
}
