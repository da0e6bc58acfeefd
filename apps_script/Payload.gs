/**
 * Builds the schema v1 body from a FormResponse and describes the form for the mapping validator.
 *
 * Body: {"schemaVersion":1,"formId","formTitle","responseId","submittedAt","respondentEmail"|null,
 *        "answers":[{"itemId","title","type","value"}]}
 * value: string | string[] (CHECKBOX, GRID, FILE_UPLOAD) | string[][] (CHECKBOX_GRID).
 */

const SCHEMA_VERSION = 1;

// Items that never carry an answer (FormApp.ItemType); left out of exportFormDescription().
const LAYOUT_ITEM_TYPES = ['PAGE_BREAK', 'SECTION_HEADER', 'IMAGE', 'VIDEO'];

/** The schema v1 payload (a plain object) for one response of a form. */
function buildPayload_(form, response) {
  return {
    schemaVersion: SCHEMA_VERSION,
    formId: form.getId(),
    formTitle: form.getTitle(),
    responseId: response.getId(),
    submittedAt: response.getTimestamp().toISOString(),
    // Only meaningful when the form collects e-mails (Form.setCollectEmail); otherwise no address.
    respondentEmail: response.getRespondentEmail() || null,
    // getItemResponses() already gives "" for unanswered text items and omits other unanswered items.
    answers: response.getItemResponses().map(answerOf_),
  };
}

function answerOf_(itemResponse) {
  const item = itemResponse.getItem();
  const type = String(item.getType());
  return {
    itemId: item.getId(),
    title: item.getTitle(),
    type: type,
    value: normaliseValue_(itemResponse.getResponse(), type),
  };
}

/**
 * Keeps getResponse()'s shape (String, String[] or String[][] for CHECKBOX_GRID) but makes every
 * leaf a string: an unanswered grid row may come back as '' or null, a checkbox-grid row as null.
 */
function normaliseValue_(raw, type) {
  if (!Array.isArray(raw)) return leafString_(raw);
  if (type === 'CHECKBOX_GRID') {
    return raw.map(function (row) {
      if (Array.isArray(row)) return row.map(leafString_);
      return row === null || row === undefined || row === '' ? [] : [String(row)];
    });
  }
  return raw.map(leafString_);
}

function leafString_(value) {
  return value === null || value === undefined ? '' : String(value);
}

/**
 * JSON with every non-ASCII character escaped as \uXXXX, so the bytes sent are the bytes signed
 * whatever charset UrlFetchApp or Utilities would pick (emoji become two escaped surrogates).
 */
function toAsciiJson_(value) {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, function (c) {
    return '\\u' + ('0000' + c.charCodeAt(0).toString(16)).slice(-4);
  });
}

/**
 * Stable across retries of one submission, different for an edited response (same responseId,
 * new timestamp). Standard Webhooks forbids "." in ids: hex digits only after "sub_".
 */
function webhookIdFor_(responseId, submittedAt) {
  const digest = Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256,
      responseId + '|' + submittedAt, Utilities.Charset.UTF_8);
  return 'sub_' + bytesToHex_(digest).slice(0, 32);
}

/** Apps Script returns SIGNED bytes (-128..127): mask them before printing. */
function bytesToHex_(bytes) {
  return bytes.map(function (b) { return ('0' + (b & 0xff).toString(16)).slice(-2); }).join('');
}

/**
 * Logs and returns the form's questions as JSON, for `forms-to-ogust validate --form <file>`:
 * {"formId","formTitle","items":[{"itemId","title","type","choices"?}]}. For grids, "choices"
 * are the columns (the values an answer can hold).
 */
function exportFormDescription() {
  const form = FormApp.getActiveForm();
  const items = form.getItems()
      .filter(function (item) { return LAYOUT_ITEM_TYPES.indexOf(String(item.getType())) < 0; })
      .map(describeItem_);
  const json = JSON.stringify({ formId: form.getId(), formTitle: form.getTitle(), items: items }, null, 2);
  console.log(json);
  return json;
}

function describeItem_(item) {
  const type = String(item.getType());
  const described = { itemId: item.getId(), title: item.getTitle(), type: type };
  const choices = choicesOf_(item, type);
  if (choices) described.choices = choices;
  return described;
}

function choicesOf_(item, type) {
  const values = function (choices) { return choices.map(function (c) { return c.getValue(); }); };
  switch (type) {
    case 'MULTIPLE_CHOICE': return values(item.asMultipleChoiceItem().getChoices());
    case 'CHECKBOX': return values(item.asCheckboxItem().getChoices());
    case 'LIST': return values(item.asListItem().getChoices());
    case 'GRID': return item.asGridItem().getColumns();
    case 'CHECKBOX_GRID': return item.asCheckboxGridItem().getColumns();
    default: return null;
  }
}
