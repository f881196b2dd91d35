import { clientBody, IdParams, pageOf, pageQuery } from '@hub/core';
import { z } from 'zod';
import { Address } from '../suppressions/suppressions.schemas.ts';
import { SubjectOverride, TemplateName, Variables } from '../templates/templates.schemas.ts';
import { DELIVERY_STATUSES } from './delivery.model.ts';

export const DeliveryId = IdParams;

/**
 * POST /deliveries: which template, to whom, with which variables. The addresses and the
 * subject are one line each (400 naming the field otherwise); the variables are checked by the
 * template (422 naming each path).
 */
export const DeliveryInput = clientBody(
  z.object({
    template: TemplateName,
    to: Address,
    replyTo: Address.optional(),
    subject: SubjectOverride.optional().describe("replaces the template's subject"),
    variables: Variables,
  }),
);
export type DeliveryInput = z.output<typeof DeliveryInput>;

export const DeliveryListQuery = pageQuery({ status: z.enum(DELIVERY_STATUSES).optional().describe('only deliveries in this state') });
export type DeliveryListQuery = z.output<typeof DeliveryListQuery>;

export const DeliveryView = z
  .object({
    id: z.string(),
    template: z.string(),
    to: z.string(),
    subject: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    messageId: z.string().nullable().describe('the Message-ID the SMTP server accepted; null until sent'),
    error: z
      .object({
        code: z.string().describe('ECONNECTION, EENVELOPE, …'),
        smtpCode: z.int().nullable().describe("the SMTP server's reply code (550…), null when it never answered"),
        response: z.string().nullable(),
      })
      .nullable(),
    createdAt: z.iso.datetime(),
    sentAt: z.iso.datetime().nullable(),
    failedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Delivery' });
export type DeliveryView = z.infer<typeof DeliveryView>;

export const DeliveryPage = pageOf(DeliveryView, 'DeliveryPage');
