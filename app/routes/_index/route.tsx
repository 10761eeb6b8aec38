import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { login } from "~/shopify.server";
import styles from "./styles.module.css";

export const meta: MetaFunction = () => [{ title: "Parley — conversational SMS for Shopify" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  // Shopify admin opens the app URL with ?shop=…: that visit belongs in the embedded app.
  if (url.searchParams.get("shop")) {
    throw redirect(`/app?${url.searchParams.toString()}`);
  }
  return { showForm: Boolean(login) };
};

export default function Index() {
  const { showForm } = useLoaderData<typeof loader>();

  return (
    <div className={styles.index}>
      <div className={styles.content}>
        <p className={styles.eyebrow}>Parley for Shopify</p>
        <h1 className={styles.heading}>Text with your shoppers, both ways.</h1>
        <p className={styles.text}>
          Automated texts, AI answers and your team&apos;s replies share one thread per shopper — each informed by the
          orders, shipments and carts your store already knows about.
        </p>
        {showForm && (
          <Form className={styles.form} method="post" action="/auth/login">
            <label className={styles.label}>
              <span>Shop domain</span>
              <input className={styles.input} type="text" name="shop" placeholder="my-shop-domain.myshopify.com" />
              <span className={styles.hint}>e.g: my-shop-domain.myshopify.com</span>
            </label>
            <button className={styles.button} type="submit">
              Log in
            </button>
          </Form>
        )}
        <ul className={styles.list}>
          <li>
            <strong>One thread per shopper</strong>. Order updates, cart reminders and replies live in the same
            conversation, so nobody repeats themselves.
          </li>
          <li>
            <strong>Replies with context</strong>. See the shopper&apos;s orders, tracking and abandoned checkouts next
            to the conversation, and send a single-use discount from the composer.
          </li>
          <li>
            <strong>Consent built in</strong>. Opt-in evidence, STOP and HELP handling, quiet hours and frequency caps
            are enforced on every send.
          </li>
        </ul>
      </div>
    </div>
  );
}
