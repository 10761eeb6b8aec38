import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useState } from "react";
import { useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Card,
  Divider,
  Icon,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { ChatIcon, CheckCircleIcon, PhoneIcon } from "@shopify/polaris-icons";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { env } from "~/env.server";
import { loadSetupChecklist } from "~/services/settings.server";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Home · Parley" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const checklist = await loadSetupChecklist(session.shop);
  const storeHandle = session.shop.replace(/\.myshopify\.com$/, "");
  return {
    checklist,
    sandbox: env().PARLEY_SANDBOX,
    // The theme editor's app-embeds panel, where the merchant switches the opt-in form on.
    themeEditorUrl: `https://admin.shopify.com/store/${storeHandle}/themes/current/editor?context=apps`,
  };
};

interface Task {
  id: string;
  title: string;
  description: string;
  done: boolean;
  doneText: string;
  action?: { content: string; url: string; external?: boolean; disabled?: boolean; helpText?: string };
}

function formatPhone(e164: string) {
  const us = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return us ? `+1 (${us[1]}) ${us[2]}-${us[3]}` : e164;
}

export default function Home() {
  const { checklist, sandbox, themeEditorUrl } = useLoaderData<typeof loader>();
  const number = checklist.sendingNumber;

  const tasks: Task[] = [
    {
      id: "number",
      title: "Connect a sending number",
      description: "Add the Telnyx number your shoppers will text. Every conversation runs through it.",
      done: Boolean(number),
      doneText: number ? `Texts go out from ${formatPhone(number)}.` : "",
      action: { content: "Add number", url: "/app/settings" },
    },
    {
      id: "opt-in",
      title: "Turn on the opt-in form",
      description: "Switch on Parley's opt-in form in your theme so shoppers can subscribe with consent on record.",
      done: checklist.optInFormEnabled,
      doneText: "Shoppers can subscribe from your storefront.",
      action: sandbox
        ? {
            content: "Open theme editor",
            url: themeEditorUrl,
            disabled: true,
            helpText: "The theme editor isn't part of the sandbox.",
          }
        : { content: "Open theme editor", url: themeEditorUrl, external: true },
    },
    {
      id: "conversation",
      title: "Receive your first conversation",
      description: number
        ? `Text anything to ${formatPhone(number)} from your phone and the conversation starts here.`
        : "Once your number is connected, text it from your phone to start your first conversation.",
      done: Boolean(checklist.firstConversationAt),
      doneText: "Your first shopper has texted you.",
      action:
        sandbox && number ? { content: "Open phone simulator", url: "/sandbox/phone", external: true } : undefined,
    },
  ];
  const completed = tasks.filter((task) => task.done).length;
  const [expandedId, setExpandedId] = useState(tasks.find((task) => !task.done)?.id);

  return (
    <Page title="Home">
      <Layout>
        <Layout.Section>
          <Card padding="0">
            <Box padding="400">
              <BlockStack gap="200">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Setup guide
                  </Text>
                  {completed === tasks.length ? <Badge tone="success">Complete</Badge> : null}
                </InlineStack>
                <Text as="p" tone="subdued">
                  {completed === tasks.length
                    ? "Parley is ready: shoppers can subscribe and text your store."
                    : "Three steps to your first two-way conversation with a shopper."}
                </Text>
                <InlineStack gap="300" blockAlign="center" wrap={false}>
                  <Text as="span" variant="bodySm" tone="subdued">
                    {completed} of {tasks.length} tasks complete
                  </Text>
                  <Box width="160px">
                    <ProgressBar
                      progress={(completed / tasks.length) * 100}
                      size="small"
                      tone="primary"
                      animated={false}
                    />
                  </Box>
                </InlineStack>
              </BlockStack>
            </Box>
            <Divider />
            <Box padding="200">
              <BlockStack gap="100">
                {tasks.map((task) => (
                  <TaskRow
                    key={task.id}
                    task={task}
                    expanded={task.id === expandedId}
                    onExpand={() => setExpandedId(task.id)}
                  />
                ))}
              </BlockStack>
            </Box>
          </Card>
        </Layout.Section>

        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <InlineStack gap="200" blockAlign="center" wrap={false}>
                  <Box>
                    <Icon source={PhoneIcon} tone="subdued" />
                  </Box>
                  <Text as="h2" variant="headingSm">
                    Sending number
                  </Text>
                </InlineStack>
                {number ? (
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="p" variant="bodyLg" fontWeight="semibold">
                      {formatPhone(number)}
                    </Text>
                    <Badge tone="success">Connected</Badge>
                  </InlineStack>
                ) : (
                  <BlockStack gap="200">
                    <InlineStack>
                      <Badge tone="attention">Not connected</Badge>
                    </InlineStack>
                    <Text as="p" tone="subdued">
                      Shoppers can&apos;t text you until a number is connected.
                    </Text>
                  </BlockStack>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <InlineStack gap="200" blockAlign="center" wrap={false}>
                  <Box>
                    <Icon source={ChatIcon} tone="subdued" />
                  </Box>
                  <Text as="h2" variant="headingSm">
                    Conversations
                  </Text>
                </InlineStack>
                {checklist.conversationCount > 0 ? (
                  <Text as="p">
                    <Text as="span" variant="headingLg">
                      {checklist.conversationCount}
                    </Text>{" "}
                    {checklist.conversationCount === 1 ? "conversation" : "conversations"} so far
                  </Text>
                ) : (
                  <Box paddingBlock="200">
                    <BlockStack gap="100" inlineAlign="center">
                      <Text as="p" fontWeight="semibold" alignment="center">
                        No conversations yet
                      </Text>
                      <Text as="p" tone="subdued" alignment="center">
                        When a shopper texts your number, the conversation shows up here.
                      </Text>
                    </BlockStack>
                  </Box>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function TaskRow({ task, expanded, onExpand }: { task: Task; expanded: boolean; onExpand: () => void }) {
  return (
    <Box padding="200" borderRadius="200" background={expanded ? "bg-surface-secondary" : undefined}>
      <InlineStack gap="300" blockAlign="start" wrap={false}>
        <Box minWidth="20px">
          {task.done ? (
            <Icon source={CheckCircleIcon} tone="success" accessibilityLabel="Done" />
          ) : (
            <span
              className="parley-task-circle"
              aria-label="Not done"
              role="img"
              style={{
                display: "block",
                width: 20,
                height: 20,
                borderRadius: "50%",
                border: "1.5px dashed var(--p-color-border-tertiary, #8a8a8a)",
              }}
            />
          )}
        </Box>
        <BlockStack gap="150">
          {expanded || task.done ? (
            <Text as="h3" variant="headingSm" tone={task.done ? "subdued" : undefined}>
              {task.title}
            </Text>
          ) : (
            <Button
              variant="monochromePlain"
              textAlign="left"
              onClick={onExpand}
              accessibilityLabel={`Show: ${task.title}`}
            >
              {task.title}
            </Button>
          )}
          {task.done ? (
            <Text as="p" tone="subdued">
              {task.doneText}
            </Text>
          ) : expanded ? (
            <BlockStack gap="300">
              <Text as="p" tone="subdued">
                {task.description}
              </Text>
              {task.action ? (
                <BlockStack gap="100">
                  <InlineStack>
                    <Button
                      variant="primary"
                      url={task.action.url}
                      target={task.action.external ? "_blank" : undefined}
                      disabled={task.action.disabled}
                    >
                      {task.action.content}
                    </Button>
                  </InlineStack>
                  {task.action.helpText ? (
                    <Text as="p" variant="bodySm" tone="subdued">
                      {task.action.helpText}
                    </Text>
                  ) : null}
                </BlockStack>
              ) : null}
            </BlockStack>
          ) : null}
        </BlockStack>
      </InlineStack>
    </Box>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Home" what="your setup guide" />;
}
