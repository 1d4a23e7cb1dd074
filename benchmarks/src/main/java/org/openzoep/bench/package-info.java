/** JMH benchmarks and load harnesses, each side by side with an alternative (Smack for XMPP). */
package org.openzoep.bench;
