/** The {@code zoep} command: a demo on private local servers, and call/answer tools. */
package org.openzoep.cli;
