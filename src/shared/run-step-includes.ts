/**
 * What `GET …/runs/{id}/steps` takes in `include[]` to return each file search result's content, OpenAI's one value
 * there. Its own module: the dashboard reads it without the request schemas.
 */
export const FILE_SEARCH_RESULT_CONTENT = 'step_details.tool_calls[*].file_search.results[*].content';
