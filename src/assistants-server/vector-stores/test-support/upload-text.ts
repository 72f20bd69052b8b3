import { toFile, type OpenAI } from 'openai';

/** Uploads `text` as a file named `filename` (purpose `assistants`) through the SDK; answers its id. */
export async function uploadText(client: OpenAI, text: string, filename: string): Promise<string> {
  const file = await client.files.create({
    file: await toFile(Buffer.from(text), filename),
    purpose: 'assistants',
  });
  return file.id;
}
