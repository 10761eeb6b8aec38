import { prisma } from "~/db.server";
import { codePrefix } from "~/domain/discount-code";
import { FLOW_KINDS, type FlowKind } from "~/domain/flows/machine";
import type { PreviewShop } from "~/domain/flows/preview";
import { flowEnabled, parseFlowSettings, type FlowSettingsOf } from "~/domain/flows/settings";
import {
  changedFromDefaults,
  parseFlowForm,
  stepsAboveGuardrail,
  toFormValues,
  type FieldErrors,
  type FlowFormValues,
} from "~/domain/flows/settings-form";
import type { Prisma } from "~/generated/prisma/client.ts";

// A shop's flow settings: on/off and the merchant's changes to each flow's defaults (FlowSetting, one row per
// shop and flow, created on the first change). Reading fills in the defaults; saving validates against the
// flow's schema and the shop's discount guardrail, and stores only what differs from the defaults.

export type FlowSettingsRecord<K extends FlowKind> = {
  kind: K;
  enabled: boolean;
  settings: FlowSettingsOf<K>;
  customized: boolean;
  updatedAt: Date | null;
};

/** Every flow's on/off; a flow the merchant never switched has its default (flowEnabled). */
export async function loadFlowSwitches(shopId: string): Promise<Record<FlowKind, boolean>> {
  const rows = await prisma.flowSetting.findMany({ where: { shopId }, select: { kind: true, enabled: true } });
  return Object.fromEntries(
    FLOW_KINDS.map((kind) => [
      kind,
      flowEnabled(
        kind,
        rows.find((row) => row.kind === kind),
      ),
    ]),
  ) as Record<FlowKind, boolean>;
}

export async function loadFlowSettings<K extends FlowKind>(shopId: string, kind: K): Promise<FlowSettingsRecord<K>> {
  const row = await prisma.flowSetting.findUnique({ where: { shopId_kind: { shopId, kind } } });
  const stored = (row?.config ?? {}) as Record<string, unknown>;
  return {
    kind,
    enabled: flowEnabled(kind, row),
    settings: parseFlowSettings(kind, stored),
    customized: Object.keys(stored).length > 0,
    updatedAt: row?.updatedAt ?? null,
  };
}

/** The one-click switch: the defaults are compliant, so turning a flow on needs nothing else. */
export async function setFlowEnabled(shopId: string, kind: FlowKind, enabled: boolean): Promise<void> {
  await prisma.flowSetting.upsert({
    where: { shopId_kind: { shopId, kind } },
    create: { shopId, kind, enabled },
    update: { enabled },
  });
}

/** What the flow's texts are rendered with, and the limit its offers must stay within. */
export async function flowShopContext(shopId: string): Promise<{ preview: PreviewShop; maxPercent: number }> {
  const settings = await prisma.shopSettings.findUnique({
    where: { shopId },
    select: { brandName: true, senderName: true, discountMaxPercent: true, discountDefaultExpiryHrs: true },
  });
  const brandName = settings?.brandName ?? "";
  return {
    preview: {
      brandName,
      senderName: settings?.senderName ?? "",
      storeDomain: shopId,
      codePrefix: codePrefix(brandName),
      codeValidityHours: settings?.discountDefaultExpiryHrs ?? 48,
    },
    maxPercent: settings?.discountMaxPercent ?? 20,
  };
}

export type SaveFlowSettingsResult = { ok: true } | { ok: false; fieldErrors: FieldErrors };

export async function saveFlowSettings(
  shopId: string,
  kind: FlowKind,
  values: FlowFormValues,
): Promise<SaveFlowSettingsResult> {
  const { maxPercent } = await flowShopContext(shopId);
  const parsed = parseFlowForm(kind, values, { maxPercent });
  if (!parsed.ok) return parsed;
  const config = changedFromDefaults(kind, parsed.settings) as Prisma.InputJsonObject;
  await prisma.flowSetting.upsert({
    where: { shopId_kind: { shopId, kind } },
    create: { shopId, kind, config, enabled: flowEnabled(kind, null) },
    update: { config },
  });
  return { ok: true };
}

/** Back to the defaults; the on/off stays as it is. */
export async function resetFlowSettings(shopId: string, kind: FlowKind): Promise<void> {
  await prisma.flowSetting.updateMany({ where: { shopId, kind }, data: { config: {} } });
}

export type FlowSettingsPageData = {
  kind: FlowKind;
  enabled: boolean;
  customized: boolean;
  values: FlowFormValues;
  defaults: FlowFormValues;
  preview: PreviewShop;
  maxPercent: number;
  /** Ladder steps saved before the shop lowered its guardrail: the engine will not offer them. */
  stepsAboveGuardrail: number[];
};

export async function loadFlowSettingsPage(shopId: string, kind: FlowKind): Promise<FlowSettingsPageData> {
  const [record, shop] = await Promise.all([loadFlowSettings(shopId, kind), flowShopContext(shopId)]);
  const ladder = (record.settings as { offerLadder?: number[] }).offerLadder ?? [];
  return {
    kind,
    enabled: record.enabled,
    customized: record.customized,
    values: toFormValues(kind, record.settings),
    defaults: toFormValues(kind, parseFlowSettings(kind, {})),
    preview: shop.preview,
    maxPercent: shop.maxPercent,
    stepsAboveGuardrail: stepsAboveGuardrail(ladder, shop.maxPercent),
  };
}
