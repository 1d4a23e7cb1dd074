package org.openzoep.media.device;

/** A device could not be found, opened or started; the message says what to install or choose. */
public class AudioDeviceException extends RuntimeException {

    public AudioDeviceException(String message) {
        super(message);
    }

    public AudioDeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
