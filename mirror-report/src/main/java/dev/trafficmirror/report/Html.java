package dev.trafficmirror.report;

/**
 * Escaping for text and attribute values in the report. Every value that comes from the mirror
 * (target names, paths, ids, errors, response excerpts) passes through {@link #escape}.
 */
final class Html {

    private Html() {
    }

    /**
     * {@code text} safe in an element or a quoted attribute, HTML or XML: markup characters as
     * entities, and characters XML 1.0 cannot carry at all (most control characters, unpaired
     * surrogates, U+FFFE and U+FFFF) as U+FFFD, so that the page stays well-formed whatever a
     * request's path held.
     */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                // as a reference, so that a parser does not turn it into a line feed
                case '\r' -> escaped.append("&#13;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                        escaped.append(c).append(text.charAt(++i));
                    } else if (allowed(c)) {
                        escaped.append(c);
                    } else {
                        escaped.append('\uFFFD');
                    }
                }
            }
        }
        return escaped.toString();
    }

    private static boolean allowed(char c) {
        if (Character.isSurrogate(c)) {
            return false;
        }
        return c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7F) || (c > 0x9F && c != 0xFFFE && c != 0xFFFF);
    }
}
