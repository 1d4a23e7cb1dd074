package org.openzoep.xmpp.xml;

import com.fasterxml.aalto.AsyncByteArrayFeeder;
import com.fasterxml.aalto.AsyncByteBufferFeeder;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.async.AsyncByteArrayScanner;
import com.fasterxml.aalto.async.AsyncByteBufferScanner;
import com.fasterxml.aalto.async.AsyncStreamReaderImpl;
import com.fasterxml.aalto.in.ReaderConfig;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import javax.xml.stream.XMLInputFactory;

/**
 * The Aalto factory that parsers make their readers from, and with it the one symbol table of
 * element, attribute and prefix names that all streams share: a reader starts from the table and
 * merges the names it learned back into it when it is closed. Aalto never shrinks that table, so
 * a peer sending new names would grow it for good. Here it is bounded twice:
 * <ul>
 *   <li>each reader tells how many names it learned, so that the parser can hold a stream to
 *       {@link XmlLimits#maxNames()};</li>
 *   <li>once a closed reader leaves more than {@code maxShared} names in the table, the factory is
 *       replaced by a fresh one with an empty table (a new generation); readers made from the old one
 *       keep working and release it as they are renewed.</li>
 * </ul>
 * Each generation's table thus holds at most {@code maxShared} plus one stream's
 * {@code maxNames} names (about 120 bytes each).
 *
 * <p>Thread: shared by all parsers, on any thread; the factory is thread-safe and the generation is
 * replaced atomically. Each {@link Reader} belongs to its parser's thread.
 */
final class SharedNames {

    /** Names the shared table may hold before it is renewed, for {@link #DEFAULT}. */
    static final int DEFAULT_MAX_SHARED = 8192;

    /**
     * The table of all parsers made with the public constructor, like the one static factory before
     * it: sessions make parsers without a registry to hand in, and sharing is what saves memory.
     */
    static final SharedNames DEFAULT = new SharedNames(DEFAULT_MAX_SHARED);

    private final int maxShared;
    private volatile Generation current = new Generation();
    private int generations = 1;

    SharedNames(int maxShared) {
        this.maxShared = maxShared;
    }

    /** One factory and its table. */
    static final class Generation {
        final InputFactoryImpl factory = new InputFactoryImpl();

        Generation() {
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
            factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
            factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.FALSE);
            factory.setProperty(XMLInputFactory.IS_COALESCING, Boolean.TRUE);
            factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.TRUE);
        }

        ReaderConfig config() {
            // As InputFactoryImpl.createAsyncFor...(): a per-reader config sharing the factory's tables.
            ReaderConfig c = factory.getNonSharedConfig(null, null, null, false, false);
            c.setActualEncoding("UTF-8");
            return c;
        }
    }

    /** A reader, with what its symbol table learned. */
    interface Reader {
        AsyncXMLStreamReader<?> stax();

        /** The generation it was made from. */
        Generation generation();

        /** Names it added to the table it started from. */
        int learned();

        /** Names in its table (the shared ones it started with included). */
        int tableSize();
    }

    /** A reader over byte arrays (heap input, Aalto's fastest path) or over NIO buffers. */
    Reader newReader(boolean array) {
        Generation g = current;
        return array ? new ArrayScanner(g) : new BufferScanner(g);
    }

    /**
     * {@code r} was closed (its names merged into its generation's table): renews the shared
     * table if that made it too large.
     */
    void closed(Reader r) {
        Generation g = r.generation();
        if (r.tableSize() > maxShared && current == g) {
            synchronized (this) {
                if (current == g) {
                    current = new Generation();
                    generations++;
                }
            }
        }
    }

    /** Generations made so far (for tests). */
    synchronized int generations() {
        return generations;
    }

    private static final class ArrayScanner extends AsyncByteArrayScanner implements Reader {
        private final Generation generation;
        private final AsyncXMLStreamReader<AsyncByteArrayFeeder> stax;
        private int base = -1;

        ArrayScanner(Generation g) {
            super(g.config());
            generation = g;
            stax = new AsyncStreamReaderImpl<>(this);
        }

        @Override
        protected void _activateEncoding() {
            super._activateEncoding();
            if (base < 0 && _symbols != null) {
                base = _symbols.size();
            }
        }

        @Override
        public AsyncXMLStreamReader<?> stax() {
            return stax;
        }

        @Override
        public Generation generation() {
            return generation;
        }

        @Override
        public int learned() {
            return base < 0 ? 0 : _symbols.size() - base;
        }

        @Override
        public int tableSize() {
            return _symbols == null ? 0 : _symbols.size();
        }
    }

    /**
     * The same as {@link ArrayScanner} for direct buffers: Aalto's two scanners share no base class
     * that reaches the symbol table, so the few lines that read it stand in both.
     */
    private static final class BufferScanner extends AsyncByteBufferScanner implements Reader {
        private final Generation generation;
        private final AsyncXMLStreamReader<AsyncByteBufferFeeder> stax;
        private int base = -1;

        BufferScanner(Generation g) {
            super(g.config());
            generation = g;
            stax = new AsyncStreamReaderImpl<>(this);
        }

        @Override
        protected void _activateEncoding() {
            super._activateEncoding();
            if (base < 0 && _symbols != null) {
                base = _symbols.size();
            }
        }

        @Override
        public AsyncXMLStreamReader<?> stax() {
            return stax;
        }

        @Override
        public Generation generation() {
            return generation;
        }

        @Override
        public int learned() {
            return base < 0 ? 0 : _symbols.size() - base;
        }

        @Override
        public int tableSize() {
            return _symbols == null ? 0 : _symbols.size();
        }
    }
}
