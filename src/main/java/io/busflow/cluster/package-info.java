/**
 * Clustering adapter: the Hazelcast configuration busflow's nodes join with (conf/cluster.xml plus
 * documented overrides), and the cluster manager that applies it on every clustered Vert.x made with busflow
 * on the class path. Membership and transport are Vert.x's clustered event bus; nothing home-made.
 * May import config; nothing in busflow imports it but the wiring, benches and tests.
 */
package io.busflow.cluster;
