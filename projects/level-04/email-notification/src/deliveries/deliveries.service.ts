import { AppError, notFound, ownedBy, paginate, type Mailer, type Page, type Principal } from '@hub/core';
import { renderTemplate, templatedMail } from '@hub/core/mail-templates';
import type { Types } from 'mongoose';
import { isSuppressed } from '../suppressions/suppressions.service.ts';
import { findTemplate } from '../templates/templates.service.ts';
import { Delivery, type DeliveryRecord } from './delivery.model.ts';
import type { DeliveryInput, DeliveryListQuery, DeliveryView } from './deliveries.schemas.ts';

type SmtpFailure = NonNullable<DeliveryView['error']>;

const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;

/** What the API shows of a delivery: `id`, never `_id`, `__v` or `owner`. */
const toView = (delivery: DeliveryRecord): DeliveryView => ({
  id: String(delivery._id),
  template: delivery.template,
  to: delivery.to,
  subject: delivery.subject,
  status: delivery.status,
  messageId: delivery.messageId ?? null,
  error: delivery.error
    ? { code: delivery.error.code ?? 'UNKNOWN', smtpCode: delivery.error.smtpCode ?? null, response: delivery.error.response ?? null }
    : null,
  createdAt: delivery.createdAt.toISOString(),
  sentAt: iso(delivery.sentAt),
  failedAt: iso(delivery.failedAt),
});

/** nodemailer's error, as the log keeps it: its code, and the SMTP reply when the server gave one. */
function smtpFailure(error: unknown): SmtpFailure {
  const { code, responseCode, response } = (error ?? {}) as { code?: unknown; responseCode?: unknown; response?: unknown };
  return {
    code: typeof code === 'string' ? code : 'UNKNOWN',
    smtpCode: typeof responseCode === 'number' ? responseCode : null,
    response: typeof response === 'string' ? response.slice(0, 300) : null,
  };
}

const recipientSuppressed = (to: string, id: string) =>
  new AppError(
    422,
    'recipient-suppressed',
    `${to} is on your suppression list: nothing was sent, and delivery ${id} is recorded as suppressed.`,
    {
      errors: [{ in: 'body', field: 'to', message: 'is on your suppression list' }],
    },
  );

const smtpFailed = (id: string, failure: SmtpFailure, cause: unknown) =>
  new AppError(
    502,
    'smtp-failed',
    `The mail server did not take the mail (${failure.smtpCode ?? failure.code}); delivery ${id} is recorded as failed.`,
    { cause },
  );

const noSuchDelivery = (id: string) => notFound(`No delivery with id ${id}.`);

/** Moves a queued delivery to its outcome: one update whose filter says it is still queued. */
async function settle(id: Types.ObjectId, outcome: Partial<DeliveryRecord>): Promise<DeliveryRecord> {
  const settled = await Delivery.findOneAndUpdate(
    { _id: id, status: 'queued' },
    { $set: outcome },
    { returnDocument: 'after' },
  ).lean<DeliveryRecord>();
  if (!settled) throw new AppError(500, 'delivery-lost', `Delivery ${String(id)} was no longer queued.`, { isTrusted: false });
  return settled;
}

/** The use cases of the delivery log; `mailer` is the SMTP side (createMailer). */
export function createDeliveries({ mailer }: { mailer: Pick<Mailer, 'send'> }) {
  return {
    /**
     * Renders the template (422 before anything is recorded), then: a suppressed address is
     * recorded as suppressed and refused (422); any other is recorded as queued, handed to the
     * SMTP server, and recorded as sent with its Message-ID, or as failed with the SMTP code (502).
     */
    async send(principal: Principal, input: DeliveryInput): Promise<DeliveryView> {
      const template = findTemplate(input.template);
      const mail = templatedMail(renderTemplate(template, input.variables, { subject: input.subject }), input);
      const record = { owner: principal.id, template: template.name, to: mail.to, subject: mail.subject };
      if (await isSuppressed(principal, mail.to)) {
        const suppressed = await Delivery.create({ ...record, status: 'suppressed' });
        throw recipientSuppressed(mail.to, suppressed.id as string);
      }
      const queued = await Delivery.create({ ...record, status: 'queued' });
      let messageId: string;
      try {
        ({ messageId } = await mailer.send(mail));
      } catch (error) {
        const failure = smtpFailure(error);
        await settle(queued._id, { status: 'failed', error: failure, failedAt: new Date() });
        throw smtpFailed(queued.id as string, failure, error);
      }
      return toView(await settle(queued._id, { status: 'sent', messageId, sentAt: new Date() }));
    },

    /** The owner is part of the filter: someone else's delivery simply does not match (404, never 403). */
    async read(principal: Principal, id: string): Promise<DeliveryView> {
      const delivery = await Delivery.findOne({ _id: id, ...ownedBy(principal) }).lean<DeliveryRecord>();
      if (!delivery) throw noSuchDelivery(id);
      return toView(delivery);
    },

    async list(principal: Principal, { status, ...page }: DeliveryListQuery): Promise<Page<DeliveryView>> {
      const filter = { ...ownedBy(principal), ...(status ? { status } : {}) };
      return paginate(Delivery, { filter, sort: { createdAt: -1 }, map: toView }, page);
    },
  };
}
export type Deliveries = ReturnType<typeof createDeliveries>;
