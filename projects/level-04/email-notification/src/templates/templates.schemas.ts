import { singleLine } from '@hub/core/mail-templates';
import { z } from 'zod';
import { TEMPLATES } from './templates.ts';

/** A template's name in a body: one of the templates this service has, else a 400 naming the field. */
export const TemplateName = z.enum(TEMPLATES.map((template) => template.name) as [string, ...string[]]);

/** /templates/:name. An unknown but well-formed name is a 404; anything else a 400. */
export const TemplateParams = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9-]{1,50}$/, 'must be a template name: lower-case letters, digits and dashes')
    .meta({ example: 'welcome' }),
});

/**
 * The template's variables: any JSON object here; the template's own schema checks them and
 * answers 422 naming each path that does not fit (GET /templates/:name shows the schema).
 */
export const Variables = z
  .record(z.string(), z.unknown())
  .default({})
  .meta({ description: "the template's variables, checked against its schema (422 naming each path that does not fit)" });

/** A subject that replaces the template's own: one line of plain text. */
export const SubjectOverride = singleLine(z.string().trim().min(1).max(200)).meta({ example: 'Welcome aboard' });

/** POST /templates/:name/preview. */
export const PreviewBody = z.strictObject({ variables: Variables, subject: SubjectOverride.optional() });
export type PreviewBody = z.output<typeof PreviewBody>;

export const TemplateView = z
  .object({
    name: z.string(),
    description: z.string(),
    variables: z.record(z.string(), z.unknown()).describe('the variables, as JSON Schema'),
  })
  .meta({ id: 'Template' });
export type TemplateView = z.infer<typeof TemplateView>;

export const TemplateList = z.object({ templates: z.array(TemplateView) }).meta({ id: 'TemplateList' });

export const Preview = z
  .object({ template: z.string(), subject: z.string(), text: z.string(), html: z.string() })
  .meta({ id: 'Preview', description: 'the mail as it would be sent; nothing is sent or recorded' });
export type Preview = z.infer<typeof Preview>;
