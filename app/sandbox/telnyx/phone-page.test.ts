import { describe, expect, test } from "vitest";
import { escapeHtml, renderPhoneSimulator } from "./phone-page";

describe("renderPhoneSimulator", () => {
  const html = renderPhoneSimulator({
    shopperNumbers: [
      { phone: "+15551230001", name: "Ada Lovelace" },
      { phone: "+15551230002", name: `<script>alert("x")</script> & "Bob"` },
    ],
    storeNumbers: ["+15005550100"],
  });

  test("is a complete page with the test hooks", () => {
    expect(html).toMatch(/^<!doctype html>/);
    for (const id of [
      "phone-number-input",
      "phone-compose",
      "phone-send",
      "phone-thread",
      "phone-store-select",
      "phone-shopper-select",
    ]) {
      expect(html).toContain(`data-testid="${id}"`);
    }
    // Bubbles are created by the script with their hooks.
    expect(html).toContain(`"data-testid", "phone-message"`);
    expect(html).toContain(`"data-direction", m.direction`);
  });

  test("labels every control", () => {
    for (const id of ["shopper-select", "phone-number", "store-number", "compose"])
      expect(html).toContain(`<label for="${id}"`);
  });

  test("escapes seeded names in markup and in the embedded config", () => {
    const markup = html.slice(0, html.indexOf('<script type="application/json"'));
    expect(markup).not.toContain("<script>alert");
    expect(markup).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Bob&quot;");
    const config = html.slice(
      html.indexOf('id="phone-config">') + 18,
      html.indexOf("</script>", html.indexOf('id="phone-config">')),
    );
    expect(config).not.toContain("<");
    expect(JSON.parse(config).shoppers[1].name).toBe(`<script>alert("x")</script> & "Bob"`);
  });

  test("message text is only ever inserted as text", () => {
    expect(html).not.toMatch(/innerHTML|insertAdjacentHTML|document\.write/);
  });

  test("escapeHtml", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});
