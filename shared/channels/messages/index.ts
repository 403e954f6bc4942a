import type { ChannelConfig } from '../model.js';
import type { Notification } from '../notification.js';
import { discordMessage } from './discord.js';
import { emailMessage } from './email.js';
import type { ChannelMessage } from './message.js';
import { ntfyMessage } from './ntfy.js';
import { pagerDutyMessage } from './pagerduty.js';
import { slackMessage } from './slack.js';
import { teamsMessage } from './teams.js';

export type { ChannelMessage, HttpMessage, MailMessage } from './message.js';

/** What a channel of this configuration sends for `n` (a request, an email): one formatter per type. */
export function channelMessage(config: ChannelConfig, n: Notification): ChannelMessage {
  switch (config.type) {
    case 'slack':
      return slackMessage(n);
    case 'discord':
      return discordMessage(n);
    case 'teams':
      return teamsMessage(n);
    case 'ntfy':
      return ntfyMessage(n, config.token);
    case 'pagerduty':
      return pagerDutyMessage(n, config.routingKey);
    case 'email':
      return emailMessage(n, config.to);
  }
}
