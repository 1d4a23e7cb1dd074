package org.openzoep.media.device.portaudio;

import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openzoep.media.device.AudioDeviceException;

/**
 * An initialised PortAudio library: lists host APIs and devices, finds a device by name or index
 * and opens {@link PortAudioDevice}s. Each instance holds one {@code Pa_Initialize} (PortAudio
 * counts them) and releases it on {@link #close}; close devices first.
 *
 * <p>Device lists are what PortAudio saw when it was first initialised in this process; hot-plugged
 * devices appear only after every instance is closed and a new one created.
 *
 * <p>Thread: any thread but the Netty event loops (the calls block on drivers); not for
 * concurrent use.
 */
public final class PortAudio implements AutoCloseable {

    private boolean open;

    private PortAudio() {
        PortAudioNative.check();
        int rc = PortAudioNative.Pa_Initialize();
        if (rc != PortAudioNative.paNoError) {
            throw new AudioDeviceException("Pa_Initialize failed: " + PortAudioNative.error(rc));
        }
        open = true;
    }

    /**
     * Initialises PortAudio.
     *
     * @throws AudioDeviceException naming the Debian package {@code libportaudio2} when the library
     *     is missing, or PortAudio's error when it fails to initialise
     */
    public static PortAudio initialize() {
        return new PortAudio();
    }

    /** PortAudio's version text, e.g. "PortAudio V19.6.0-devel, revision 396fe4b6699ae929d3a685b3ef8a7e97396139a4". */
    public String versionText() {
        ensureOpen();
        return PortAudioNative.Pa_GetVersionText();
    }

    /** A host API (ALSA, JACK, OSS, CoreAudio, WASAPI ...). */
    public record HostApi(int index, String name, int type, int deviceCount, int defaultInputDevice, int defaultOutputDevice) {
    }

    /** A device as PortAudio describes it. Latencies in seconds. */
    public record DeviceInfo(int index, String name, int hostApi, String hostApiName, int maxInputChannels,
            int maxOutputChannels, double defaultSampleRate, double defaultLowInputLatency, double defaultLowOutputLatency) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "#%d %s [%s] in %d out %d @ %.0f Hz", index, name, hostApiName,
                    maxInputChannels, maxOutputChannels, defaultSampleRate);
        }
    }

    public List<HostApi> hostApis() {
        ensureOpen();
        int n = PortAudioNative.Pa_GetHostApiCount();
        List<HostApi> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long a = PortAudioNative.Pa_GetHostApiInfo(i);
            if (a == 0) {
                continue;
            }
            Pointer p = new Pointer(a);
            // struct PaHostApiInfo { int structVersion; int type; const char *name; int deviceCount; int defaultInputDevice; int defaultOutputDevice; }
            list.add(new HostApi(i, p.getPointer(8).getString(0), p.getInt(4), p.getInt(16), p.getInt(20), p.getInt(24)));
        }
        return list;
    }

    public List<DeviceInfo> devices() {
        ensureOpen();
        List<HostApi> apis = hostApis();
        int n = PortAudioNative.Pa_GetDeviceCount();
        List<DeviceInfo> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            DeviceInfo d = device(i, apis);
            if (d != null) {
                list.add(d);
            }
        }
        return list;
    }

    private static DeviceInfo device(int i, List<HostApi> apis) {
        long a = PortAudioNative.Pa_GetDeviceInfo(i);
        if (a == 0) {
            return null;
        }
        Pointer p = new Pointer(a);
        // struct PaDeviceInfo { int structVersion; const char *name; int hostApi; int maxInputChannels;
        //   int maxOutputChannels; double defaultLow/HighInput/OutputLatency (4); double defaultSampleRate; }
        int api = p.getInt(16);
        String apiName = apis.stream().filter(h -> h.index() == api).map(HostApi::name).findFirst().orElse("?");
        return new DeviceInfo(i, p.getPointer(8).getString(0), api, apiName, p.getInt(20), p.getInt(24), p.getDouble(64),
                p.getDouble(32), p.getDouble(40));
    }

    /** The default input device, or null when there is none. */
    public DeviceInfo defaultInput() {
        ensureOpen();
        int i = PortAudioNative.Pa_GetDefaultInputDevice();
        return i < 0 ? null : device(i, hostApis());
    }

    /** The default output device, or null when there is none. */
    public DeviceInfo defaultOutput() {
        ensureOpen();
        int i = PortAudioNative.Pa_GetDefaultOutputDevice();
        return i < 0 ? null : device(i, hostApis());
    }

    /**
     * Finds a device: a decimal string is an index; otherwise an exact name, then a
     * case-insensitive name prefix, then a substring, optionally qualified by host API as
     * {@code "JACK:system"}. Ambiguous or unknown names fail with the list of devices.
     */
    public DeviceInfo find(String nameOrIndex) {
        List<DeviceInfo> all = devices();
        String q = nameOrIndex.trim();
        if (q.matches("\\d+")) {
            int i = Integer.parseInt(q);
            return all.stream().filter(d -> d.index() == i).findFirst()
                    .orElseThrow(() -> new AudioDeviceException("no PortAudio device #" + i + "; devices: " + all));
        }
        String api = null;
        int colon = q.indexOf(':');
        if (colon > 0 && hostApis().stream().anyMatch(h -> h.name().equalsIgnoreCase(q.substring(0, q.indexOf(':'))))) {
            api = q.substring(0, colon);
        }
        String name = api == null ? q : q.substring(colon + 1);
        String apiFilter = api;
        List<DeviceInfo> candidates = all.stream()
                .filter(d -> apiFilter == null || d.hostApiName().equalsIgnoreCase(apiFilter)).toList();
        String lower = name.toLowerCase(Locale.ROOT);
        for (int pass = 0; pass < 3; pass++) {
            int passNo = pass;
            List<DeviceInfo> hits = candidates.stream().filter(d -> {
                String n = d.name().toLowerCase(Locale.ROOT);
                return passNo == 0 ? d.name().equals(name) : passNo == 1 ? n.startsWith(lower) : n.contains(lower);
            }).toList();
            if (hits.size() == 1) {
                return hits.get(0);
            }
            if (hits.size() > 1) {
                throw new AudioDeviceException("PortAudio device name '" + nameOrIndex + "' is ambiguous: " + hits);
            }
        }
        throw new AudioDeviceException("no PortAudio device '" + nameOrIndex + "'; devices: " + all);
    }

    /** Opens {@code device} for full-duplex use (capture and playback on the same device). */
    public PortAudioDevice open(DeviceInfo device) {
        return open(device.maxInputChannels() > 0 ? device : null, device.maxOutputChannels() > 0 ? device : null, 0);
    }

    /**
     * Opens a stream of 48 kHz mono 16-bit in 10 ms buffers.
     *
     * @param capture input device, or null for playback only
     * @param playback output device, or null for capture only
     * @param suggestedLatencyMillis PortAudio's suggested latency, or 0 for each device's default low latency
     */
    public PortAudioDevice open(DeviceInfo capture, DeviceInfo playback, double suggestedLatencyMillis) {
        ensureOpen();
        if (capture == null && playback == null) {
            throw new IllegalArgumentException("neither capture nor playback device given");
        }
        List<HostApi> apis = hostApis();
        boolean jack = (capture != null && isJack(capture, apis)) || (playback != null && isJack(playback, apis));
        return new PortAudioDevice(capture, playback, suggestedLatencyMillis, jack);
    }

    private static boolean isJack(DeviceInfo d, List<HostApi> apis) {
        return apis.stream().anyMatch(h -> h.index() == d.hostApi() && h.type() == PortAudioNative.paJACK);
    }

    private void ensureOpen() {
        if (!open) {
            throw new IllegalStateException("PortAudio closed");
        }
    }

    /** Releases this instance's {@code Pa_Initialize}. Devices opened through it must be closed first. */
    @Override
    public void close() {
        if (open) {
            open = false;
            PortAudioNative.Pa_Terminate();
        }
    }
}
