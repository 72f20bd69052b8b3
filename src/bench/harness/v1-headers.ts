/** What a bench client sends with each /v1 request, as the SDK would. */
export const V1_HEADERS = {
  'content-type': 'application/json',
  authorization: 'Bearer sk-bench',
  'openai-beta': 'assistants=v2',
};
