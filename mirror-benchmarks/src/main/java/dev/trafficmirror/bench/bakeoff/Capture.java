package dev.trafficmirror.bench.bakeoff;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The first {@link CopySender#CAPTURE_LIMIT} bytes of a shadow's answer, as a comparing target
 * keeps them; what comes after is read and thrown away. Every client but trafficmirror (which
 * captures by itself) fills one per copy, so that all pay for keeping the answer alike.
 */
final class Capture {

    private byte[] bytes = new byte[256];
    private int size;

    void add(ByteBuffer data) {
        int take = Math.min(data.remaining(), CopySender.CAPTURE_LIMIT - size);
        if (take > 0) {
            room(take);
            data.get(bytes, size, take);
            size += take;
        }
        data.position(data.limit());
    }

    void add(byte[] data, int offset, int length) {
        int take = Math.min(length, CopySender.CAPTURE_LIMIT - size);
        if (take > 0) {
            room(take);
            System.arraycopy(data, offset, bytes, size, take);
            size += take;
        }
    }

    int size() {
        return size;
    }

    private void room(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(CopySender.CAPTURE_LIMIT, Math.max(size + more, bytes.length * 2)));
        }
    }
}
