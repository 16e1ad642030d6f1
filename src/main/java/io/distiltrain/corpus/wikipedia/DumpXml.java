package io.distiltrain.corpus.wikipedia;

import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The MediaWiki export format (export-0.10.xsd, export-0.11.xsd; older versions have the same
 * elements) read with StAX, one page at a time. Elements are matched by local name, so the schema
 * namespace and version do not matter; unknown elements are skipped.
 */
final class DumpXml implements AutoCloseable {
    private final XMLStreamReader xml;

    DumpXml(Reader reader) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newInstance();
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        // A whole Wikipedia counts tens of millions of &quot; and &amp;: the JDK's default caps
        // on entity expansion would stop a real dump half-way. Without a DTD no entity can
        // expand to more than one character, so lifting the caps is safe.
        for (String limit : new String[] {"jdk.xml.totalEntitySizeLimit", "jdk.xml.entityExpansionLimit",
            "jdk.xml.maxGeneralEntitySizeLimit"}) {
            try {
                factory.setProperty(limit, 0);
            } catch (IllegalArgumentException unsupported) {
                // another StAX implementation: it has its own limits, or none
            }
        }
        this.xml = factory.createXMLStreamReader(reader);
    }

    /** Reads up to the first page: the root's version and the siteinfo. */
    SiteInfo readHeader() throws XMLStreamException {
        xml.nextTag();
        if (!xml.getLocalName().equals("mediawiki")) {
            throw new XMLStreamException("not a MediaWiki export: the root element is <" + xml.getLocalName() + ">",
                    xml.getLocation());
        }
        String version = xml.getAttributeValue(null, "version");
        String dbname = "";
        String base = "";
        List<Namespace> namespaces = new ArrayList<>();
        while (nextChild()) {
            if (!xml.getLocalName().equals("siteinfo")) {
                break; // the first page: left for nextPage
            }
            while (nextChild()) {
                switch (xml.getLocalName()) {
                    case "dbname" -> dbname = xml.getElementText().strip();
                    case "base" -> base = xml.getElementText().strip();
                    case "namespaces" -> readNamespaces(namespaces);
                    default -> skipElement();
                }
            }
        }
        return new SiteInfo(version == null ? "" : version, dbname, base, namespaces);
    }

    private void readNamespaces(List<Namespace> into) throws XMLStreamException {
        while (nextChild()) {
            String key = xml.getAttributeValue(null, "key");
            String caseRule = xml.getAttributeValue(null, "case");
            String name = xml.getElementText().strip();
            try {
                into.add(new Namespace(Integer.parseInt(key.strip()), caseRule == null ? "" : caseRule, name));
            } catch (NumberFormatException | NullPointerException e) {
                throw new XMLStreamException("a <namespace> without a numeric key: " + key, xml.getLocation());
            }
        }
    }

    /** The next page, or null after the last. Expects to stand on a page's start or between pages. */
    Page nextPage() throws XMLStreamException {
        while (!(xml.isStartElement() && xml.getLocalName().equals("page"))) {
            if (xml.getEventType() == XMLStreamConstants.END_DOCUMENT) {
                return null;
            }
            if (xml.isEndElement() && xml.getLocalName().equals("mediawiki")) {
                xml.next(); // to the end of the document, which checks nothing follows but whitespace
                while (xml.getEventType() != XMLStreamConstants.END_DOCUMENT) {
                    xml.next();
                }
                return null;
            }
            if (xml.isStartElement()) {
                skipElement();
            }
            xml.next();
        }
        Page page = readPage();
        xml.next();
        return page;
    }

    private Page readPage() throws XMLStreamException {
        String id = null;
        String title = "";
        Integer ns = null;
        boolean redirect = false;
        String text = "";
        while (nextChild()) {
            switch (xml.getLocalName()) {
                case "title" -> title = xml.getElementText();
                case "ns" -> ns = parseNs(xml.getElementText());
                case "id" -> id = xml.getElementText().strip();
                case "redirect" -> {
                    redirect = true;
                    skipElement();
                }
                case "revision" -> text = readRevisionText();
                default -> skipElement();
            }
        }
        return new Page(id == null ? "" : id, title, ns, redirect, text);
    }

    private Integer parseNs(String text) throws XMLStreamException {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new XMLStreamException("<ns> is not a number: " + text, xml.getLocation());
        }
    }

    private String readRevisionText() throws XMLStreamException {
        String text = "";
        while (nextChild()) {
            if (xml.getLocalName().equals("text")) {
                text = xml.getElementText();
            } else {
                skipElement();
            }
        }
        return text;
    }

    /** Moves to the current element's next child start (true) or to its end (false). */
    private boolean nextChild() throws XMLStreamException {
        while (true) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                return true;
            }
            if (event == XMLStreamConstants.END_ELEMENT) {
                return false;
            }
            if (event == XMLStreamConstants.END_DOCUMENT) {
                throw new XMLStreamException("the XML ends inside an element (a truncated file?)", xml.getLocation());
            }
        }
    }

    /** From an element's start to its end, children and all. */
    private void skipElement() throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            } else if (event == XMLStreamConstants.END_DOCUMENT) {
                throw new XMLStreamException("the XML ends inside an element (a truncated file?)", xml.getLocation());
            }
        }
    }

    /** Line and column of the parser, for reports. */
    String location() {
        var at = xml.getLocation();
        return at == null ? "" : "line " + at.getLineNumber() + ", column " + at.getColumnNumber();
    }

    @Override
    public void close() throws XMLStreamException {
        xml.close();
    }
}
