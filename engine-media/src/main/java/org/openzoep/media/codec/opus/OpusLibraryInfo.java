package org.openzoep.media.codec.opus;

/**
 * Which libopus the process loaded, and its version string.
 *
 * @param version what {@code opus_get_version_string()} returned, e.g. {@code "libopus 1.3.1"}
 * @param path where the library was loaded from (a soname for the system library, a file path
 *     for the extracted bundled copy)
 * @param bundled true when the copy from opus-java's natives jar is in use (no system libopus)
 */
public record OpusLibraryInfo(String version, String path, boolean bundled) {
}
