/**
 * Clustering adapter: the Hazelcast configuration busflow's nodes join with (conf/cluster.xml plus
 * documented overrides). Membership and transport are Vert.x's clustered event bus; nothing home-made.
 */
package io.busflow.cluster;
