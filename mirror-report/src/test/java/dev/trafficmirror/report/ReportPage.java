package dev.trafficmirror.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

/** A rendered report, parsed as XML: parsing fails if the markup is not well-formed. */
final class ReportPage {

    final String html;
    final Document document;

    ReportPage(String html) throws Exception {
        this.html = html;
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        this.document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    String text(String xpath) throws XPathExpressionException {
        return XPathFactory.newInstance().newXPath().evaluate("normalize-space(" + xpath + ")", document);
    }

    double number(String xpath) throws XPathExpressionException {
        return (Double) XPathFactory.newInstance().newXPath().evaluate(xpath, document, XPathConstants.NUMBER);
    }

    List<String> texts(String xpath) throws XPathExpressionException {
        NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, document, XPathConstants.NODESET);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent().strip());
        }
        return texts;
    }

    /** The page runs nothing and loads nothing: no script element, no event attribute, no reference out. */
    void assertSelfContained() throws XPathExpressionException {
        assertThat(html).startsWith("<!DOCTYPE html>").contains("Content-Security-Policy");
        NodeList all = (NodeList) XPathFactory.newInstance().newXPath().evaluate("//*", document, XPathConstants.NODESET);
        for (int i = 0; i < all.getLength(); i++) {
            Element element = (Element) all.item(i);
            assertThat(element.getLocalName()).isNotIn("script", "iframe", "object", "embed", "link", "img", "foreignObject");
            NamedNodeMap attributes = element.getAttributes();
            for (int a = 0; a < attributes.getLength(); a++) {
                String name = attributes.item(a).getLocalName() == null ? attributes.item(a).getNodeName()
                        : attributes.item(a).getLocalName();
                assertThat(name.toLowerCase()).doesNotStartWith("on").isNotIn("src", "href", "srcset", "action");
                if (name.equals("marker-end")) {
                    assertThat(attributes.item(a).getNodeValue()).matches("url\\(#[a-z0-9-]+\\)");
                }
            }
        }
        assertThat(html).doesNotContain("@import", "url(http");
    }
}
