/** How long an invite lasts unless the operator says otherwise: the same whether made in the chat or by a command. */
export const INVITE_EXPIRY_DAYS = 14;
