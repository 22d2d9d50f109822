/** What the gateway answered to one adjustment: the status and the parsed body. */
export interface AdjustmentAnswer {
  status: number;
  body: unknown;
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * The gateway as the balance CLI uses it: a token by the client credentials grant, then
 * `POST /accounts/:id/adjustments` (the audited route that owns balance changes).
 */
export class GatewayAdjustments {
  private token?: string;

  constructor(
    private readonly baseUrl: string,
    private readonly credentials: ClientCredentials,
  ) {}

  async adjust(accountId: string, balance: string, reason: string): Promise<AdjustmentAnswer> {
    let answer = await this.post(accountId, balance, reason);
    if (answer.status === 401) {
      // The token expired during a long interactive session: one new token, one retry.
      this.token = undefined;
      answer = await this.post(accountId, balance, reason);
    }
    return answer;
  }

  private async post(
    accountId: string,
    balance: string,
    reason: string,
  ): Promise<AdjustmentAnswer> {
    const response = await fetch(
      `${this.baseUrl}/accounts/${encodeURIComponent(accountId)}/adjustments`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await this.bearer()}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ balance, reason }),
      },
    );
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's error page): shown as text.
    }
    return { status: response.status, body };
  }

  private async bearer(): Promise<string> {
    if (this.token) return this.token;
    const basic = Buffer.from(
      `${this.credentials.clientId}:${this.credentials.clientSecret}`,
    ).toString('base64');
    const response = await fetch(`${this.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${basic}`,
      },
      body: 'grant_type=client_credentials',
    });
    const text = await response.text();
    if (response.status !== 200) {
      throw new Error(`POST /oauth/token answered ${response.status}: ${text.slice(0, 500)}`);
    }
    this.token = String((JSON.parse(text) as { access_token: unknown }).access_token);
    return this.token;
  }
}
