import type { Disclosure } from "~/domain/opt-in-disclosure";
import type { SubscribeResult } from "./storefront.server";

// The answer to a sign-up posted without JavaScript: a page Shopify renders inside the shop's theme (the app proxy
// answers application/liquid). A failed submission shows the form again with the current disclosure, so a shopper
// whose browser runs no script still reads the exact terms before consenting.

/** HTML-escaped and Liquid-inert: braces become entities, so Shopify never evaluates text as Liquid. */
export function escapeForLiquid(value: unknown): string {
  return String(value ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
    .replace(/\{/g, "&#123;")
    .replace(/\}/g, "&#125;");
}

export interface SubmittedFields {
  phone?: unknown;
  country?: unknown;
  source?: unknown;
  pageUrl?: unknown;
}

const PAGE_CSS = [
  ".parley-page{max-width:34rem;margin:3rem auto;padding:0 1rem;line-height:1.5}",
  ".parley-page__lead{font-size:1.1em}",
  ".parley-page__form{display:flex;flex-direction:column;gap:.5rem;margin:1.5rem 0}",
  ".parley-page__form label{font-weight:600}",
  ".parley-page__form input[type=tel]{min-height:46px;padding:.6rem .75rem;border:1px solid rgba(0,0,0,.3);border-radius:10px;font:inherit}",
  ".parley-page__consent{display:flex;gap:.6rem;align-items:flex-start;margin-top:.75rem;font-weight:400!important;font-size:.85em}",
  ".parley-page__consent input{width:20px;height:20px;flex:none;margin-top:2px}",
  ".parley-page__error{margin:0;color:#b3261e;font-weight:600;font-size:.9em}",
  ".parley-page__form button{margin-top:1rem;min-height:48px;border:0;border-radius:10px;background:#1c1b1a;color:#fff;font:inherit;font-weight:700;cursor:pointer}",
].join("");

function backLink(pageUrl: unknown): string {
  return typeof pageUrl === "string" && pageUrl.startsWith("/") && !pageUrl.startsWith("//") ? pageUrl : "/";
}

function formAgain(disclosure: Disclosure, submitted: SubmittedFields, errors: Record<string, string>): string {
  const e = escapeForLiquid;
  const error = (field: string) =>
    errors[field] ? `<p class="parley-page__error" id="parley-page-${field}-error">${e(errors[field])}</p>` : "";
  const described = (field: string) =>
    errors[field] ? ` aria-describedby="parley-page-${field}-error" aria-invalid="true"` : "";
  const links = disclosure.links
    .map((link) => `<a href="${e(link.url)}" target="_blank" rel="noopener">${e(link.label)}</a>`)
    .join(" · ");
  return `<form method="post" action="/apps/parley/subscribe" class="parley-page__form">
  <input type="hidden" name="country" value="${e(submitted.country ?? "")}">
  <input type="hidden" name="source" value="${e(submitted.source ?? "form")}">
  <input type="hidden" name="pageUrl" value="${e(submitted.pageUrl ?? "")}">
  <input type="hidden" name="disclosureVersion" value="${e(disclosure.version)}">
  <label for="parley-page-phone">Mobile number</label>
  <input id="parley-page-phone" name="phone" type="tel" autocomplete="tel" required value="${e(submitted.phone ?? "")}"${described("phone")}>
  ${error("phone")}
  <label class="parley-page__consent"><input type="checkbox" name="consent" value="on" required${described("consent")}>
  <span>${e(disclosure.body)} ${links}</span></label>
  ${error("consent")}
  <button type="submit">Sign up for texts</button>
</form>`;
}

/** The whole page for a no-script submission's result. */
export function renderSubscribePage(result: SubscribeResult, submitted: SubmittedFields): string {
  const e = escapeForLiquid;
  const errors = result.status === 400 ? (result.fieldErrors as Record<string, string>) : {};
  const form = result.status === 400 || result.status === 409 ? formAgain(result.disclosure, submitted, errors) : "";
  // A field error is shown under its field; the line at the top then only says what to do.
  const lead = result.status === 400 ? "Review the text-message terms below, then sign up." : result.message;
  return `<div class="parley-page">
  <style>${PAGE_CSS}</style>
  <h1>Text sign-up</h1>
  <p class="parley-page__lead" role="${result.ok ? "status" : "alert"}">${e(lead)}</p>
  ${form}
  <p><a href="${e(backLink(submitted.pageUrl))}">Back to the store</a></p>
</div>`;
}
