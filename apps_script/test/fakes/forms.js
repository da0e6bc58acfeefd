'use strict';
// Stand-in for FormApp, following the Apps Script reference (forms/form, form-response, item-response;
// docs/google-cloud.md §2). Every method is scope-checked through runtime.api:
// - item.getType() returns an ItemType enum value whose String() is its name;
// - getItemResponses() lists answers in form order, gives '' for an unanswered TEXT, PARAGRAPH_TEXT,
//   DATE or TIME item and leaves out every other unanswered item;
// - getRespondentEmail() gives '' when the form does not collect e-mails [guess: the reference does
//   not say what it returns then; the script treats '' and null alike];
// - getResponse(id) returns the latest version of a response and "throws if the response does not
//   exist" (the message is a guess).

const { ScriptError } = require('./runtime');

const ITEM_TYPE_NAMES = [
  'CHECKBOX', 'CHECKBOX_GRID', 'DATE', 'DATETIME', 'DURATION', 'GRID', 'IMAGE', 'LIST',
  'MULTIPLE_CHOICE', 'PAGE_BREAK', 'PARAGRAPH_TEXT', 'SCALE', 'SECTION_HEADER', 'TEXT', 'TIME',
  'VIDEO', 'FILE_UPLOAD',
];

function makeEnum(names) {
  const result = {};
  for (const name of names) {
    result[name] = Object.freeze({ toString: () => name, toJSON: () => name, name: () => name });
  }
  return Object.freeze(result);
}

const ItemType = makeEnum(ITEM_TYPE_NAMES);
const LAYOUT_TYPES = new Set(['PAGE_BREAK', 'SECTION_HEADER', 'IMAGE', 'VIDEO']);
const BLANK_WHEN_UNANSWERED = new Set(['TEXT', 'PARAGRAPH_TEXT', 'DATE', 'TIME']);
const CASTS = {
  asCheckboxItem: ['CHECKBOX', 'CheckboxItem'], asCheckboxGridItem: ['CHECKBOX_GRID', 'CheckboxGridItem'],
  asGridItem: ['GRID', 'GridItem'], asListItem: ['LIST', 'ListItem'],
  asMultipleChoiceItem: ['MULTIPLE_CHOICE', 'MultipleChoiceItem'], asScaleItem: ['SCALE', 'ScaleItem'],
  asTextItem: ['TEXT', 'TextItem'], asParagraphTextItem: ['PARAGRAPH_TEXT', 'ParagraphTextItem'],
  asFileUploadItem: ['FILE_UPLOAD', 'FileUploadItem'], asDateItem: ['DATE', 'DateItem'], asTimeItem: ['TIME', 'TimeItem'],
};
const CAST_METHODS = {
  CheckboxItem: ['getChoices'], MultipleChoiceItem: ['getChoices'], ListItem: ['getChoices'],
  GridItem: ['getRows', 'getColumns'], CheckboxGridItem: ['getRows', 'getColumns'],
};

/** spec: {id, title, type: 'CHECKBOX', choices?, rows?, columns?} */
function makeItem(runtime, spec) {
  if (!ItemType[spec.type]) throw new Error(`fake FormApp: unknown item type ${spec.type}`);
  const methods = {
    getId: () => spec.id,
    getTitle: () => spec.title,
    getType: () => ItemType[spec.type],
    getHelpText: () => '',
    getIndex: () => spec.index,
  };
  for (const [method, [type, className]] of Object.entries(CASTS)) {
    methods[method] = () => {
      if (spec.type !== type) throw new ScriptError(`Cannot cast ${spec.type} item to ${type}.`);
      const all = {
        getChoices: () => (spec.choices || []).map((value) => runtime.api('Choice', { getValue: () => value })),
        getRows: () => [...(spec.rows || [])],
        getColumns: () => [...(spec.columns || [])],
      };
      const own = Object.fromEntries((CAST_METHODS[className] || []).map((m) => [m, all[m]]));
      return runtime.api(className, own);
    };
  }
  return { spec, api: runtime.api('Item', methods) };
}

/** Returns a fresh copy each call, like Apps Script, so callers cannot mutate stored answers. */
function copyValue(value) {
  return Array.isArray(value) ? value.map((v) => (Array.isArray(v) ? [...v] : v)) : value;
}

/** spec: {id, timestamp: Date, email, answers: {itemId: rawValue}} */
function makeResponse(runtime, formSpec, items, spec) {
  const answers = spec.answers || {};
  return runtime.api('FormResponse', {
    getId: () => spec.id,
    getTimestamp: () => new Date(spec.timestamp.getTime()),
    getRespondentEmail: () => (formSpec.collectEmail ? spec.email || '' : ''),
    getEditResponseUrl: () => `https://docs.google.com/forms/d/e/${formSpec.id}/viewform?edit2=${spec.id}`,
    getItemResponses: () => {
      const list = [];
      for (const item of items) {
        const type = item.spec.type;
        if (LAYOUT_TYPES.has(type)) continue;
        const id = item.spec.id;
        const has = Object.hasOwn(answers, id);
        if (!has && !BLANK_WHEN_UNANSWERED.has(type)) continue;
        list.push(runtime.api('ItemResponse', {
          getItem: () => item.api,
          getResponse: () => (has ? copyValue(answers[id]) : ''),
          getScore: () => null,
        }));
      }
      return list;
    },
  });
}

/**
 * spec: {id, title, collectEmail, items: [itemSpec], responses: [responseSpec]}. Returns the form
 * the script sees (`api`) and the test's controls: addResponse (a person submits or edits) and
 * deleteResponse (the owner deletes one in the Forms UI).
 */
function makeForm(runtime, spec) {
  const items = spec.items.map((s, index) => makeItem(runtime, { ...s, index }));
  const responses = [];  // latest version of each response, in submission order
  const api = runtime.api('Form', {
    getId: () => spec.id,
    getTitle: () => spec.title,
    collectsEmail: () => Boolean(spec.collectEmail),
    getItems: () => items.map((i) => i.api),
    // "Gets an array of all of the form's responses after a given date and time."
    getResponses: (timestamp) => responses
      .filter((r) => !timestamp || r.spec.timestamp.getTime() > timestamp.getTime())
      .sort((a, b) => a.spec.timestamp - b.spec.timestamp)
      .map((r) => r.api),
    getResponse(id) {
      const found = responses.find((r) => r.spec.id === id);
      if (!found) throw new ScriptError(`No response with ID ${id} exists for this form.`);
      return found.api;
    },
  });
  const control = {
    spec,
    api,
    addResponse(responseSpec) {
      const response = { spec: responseSpec, api: makeResponse(runtime, spec, items, responseSpec) };
      const index = responses.findIndex((r) => r.spec.id === responseSpec.id);
      if (index >= 0) responses.splice(index, 1);  // an edit keeps the id and moves to its new time
      responses.push(response);
      return response.api;
    },
    deleteResponse(id) {
      const index = responses.findIndex((r) => r.spec.id === id);
      if (index >= 0) responses.splice(index, 1);
    },
    latest: (id) => responses.find((r) => r.spec.id === id)?.spec || null,
  };
  for (const r of spec.responses || []) control.addResponse(r);
  return control;
}

function makeFormApp(runtime, getActiveForm) {
  return runtime.api('FormApp', { ItemType, getActiveForm: () => getActiveForm().api });
}

module.exports = { ItemType, makeForm, makeFormApp };
