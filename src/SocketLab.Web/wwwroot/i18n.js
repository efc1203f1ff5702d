// UI strings in Simplified Chinese and English. The page follows the browser's language unless the user picks one.
const strings = {
  en: {
    title: 'SocketLab Network Test Utility', newServer: '+ TCP Server', newClient: '+ TCP Client', newUdp: '+ UDP',
    connected: 'connected', disconnected: 'reconnecting…', empty: 'Open a TCP Server, TCP Client or UDP session with the buttons above.',
    tcpServer: 'TCP Server', tcpClient: 'TCP Client', udp: 'UDP',
    localAddress: 'Local address', port: 'Port', listen: 'Listen', stop: 'Stop', echo: 'Echo received data',
    record: 'Record transcript (.jsonl)', downloadTranscript: 'Download', recordingTo: 'recording to', recordedTo: 'recorded to',
    clients: 'Clients', noClients: 'No client connected', id: 'ID', address: 'Address', bytesIn: 'In', bytesOut: 'Out', since: 'Since', kick: 'Kick',
    host: 'Remote host', connect: 'Connect', disconnect: 'Disconnect', greeting: 'Greeting on connect', seedPreset: 'Seed preset',
    reconnect: 'Reconnect with back-off', localPort: 'Local port', remoteHost: 'Remote host', remotePort: 'Remote port',
    open: 'Open', close: 'Close', receiveOnly: 'Receive only', readTimeout: 'Read timeout', infinite: 'infinite', broadcast: 'Allow broadcast',
    state_idle: 'stopped', state_listening: 'listening', state_connecting: 'connecting', state_connected: 'connected', state_reconnecting: 'reconnecting', state_open: 'open',
    log: 'Log', filter: 'Filter…', pause: 'Pause', resume: 'Resume', clear: 'Clear', exportText: 'Export .txt', exportJson: 'Export .jsonl',
    viewText: 'Text', viewHex: 'Hex', showEol: 'Show CR/LF', encoding: 'Encoding', paused: 'paused, {n} new',
    send: 'Send', sendTo: 'To', allClients: 'All clients', hex: 'HEX', lineEnding: 'Line ending', none: 'none',
    repeatEvery: 'Repeat every (ms, 0 = once)', times: 'times (0 = until stopped)', stopRepeat: 'Stop repeating', repeating: 'repeating: {sent} sent',
    sendFile: 'Send file', history: 'History…', sendPlaceholder: 'Text to send (Ctrl+Enter sends)', hexPlaceholder: 'Hex bytes, e.g. 01 ae ff',
    rx: 'RX', tx: 'TX', bytes: 'bytes', msgs: 'msgs', rate: 'Rate (bytes/s, last 60 s)',
    oled: 'Virtual OLED (128×64)', oledMissing: 'The board display model is not built into this version, so no OLED image is shown.',
    rules: 'Auto-reply rules', addRule: 'Add rule', saveRules: 'Save rules', rulesSaved: 'Rules saved', when: 'When received', reply: 'reply',
    m_equals: 'equals', m_contains: 'contains', m_regex: 'matches regex', m_hex: 'contains hex', replyHex: 'hex reply',
    rulesHelp: 'Reply templates: {{counter}}, {{time}}, regex captures {{1}}, {{name}}.',
    rename: 'Rename', closeSession: 'Close this session?', sent: 'sent', fileProgress: 'file {name}: {sent} / {total} bytes',
    badHex: 'Bad hex', error: 'Error',
    historyView: 'History', back: '← Sessions', historySearch: 'Search text in past sessions…', search: 'Search',
    kind: 'Kind', name: 'Name', started: 'Started', events: 'Events', historyNone: 'Nothing stored yet (or nothing matches).',
  },
  zh: {
    title: 'SocketLab 网络测试工具', newServer: '+ TCP 服务器', newClient: '+ TCP 客户端', newUdp: '+ UDP',
    connected: '已连接', disconnected: '正在重新连接…', empty: '用上方按钮新建 TCP 服务器、TCP 客户端或 UDP 会话。',
    tcpServer: 'TCP 服务器', tcpClient: 'TCP 客户端', udp: 'UDP',
    localAddress: '本机地址', port: '端口', listen: '监听', stop: '停止', echo: '回显收到的数据',
    record: '记录收发日志（.jsonl）', downloadTranscript: '下载', recordingTo: '正在记录到', recordedTo: '已记录到',
    clients: '客户端', noClients: '暂无客户端连接', id: '编号', address: '地址', bytesIn: '收', bytesOut: '发', since: '连接时间', kick: '断开',
    host: '远程主机', connect: '连接', disconnect: '断开', greeting: '连接后发送', seedPreset: '教程预设',
    reconnect: '断线自动重连', localPort: '本地端口', remoteHost: '远程主机', remotePort: '远程端口',
    open: '打开', close: '关闭', receiveOnly: '仅接收', readTimeout: '读取超时', infinite: '无限', broadcast: '允许广播',
    state_idle: '已停止', state_listening: '监听中', state_connecting: '连接中', state_connected: '已连接', state_reconnecting: '重连中', state_open: '已打开',
    log: '日志', filter: '过滤…', pause: '暂停', resume: '继续', clear: '清空', exportText: '导出 .txt', exportJson: '导出 .jsonl',
    viewText: '文本', viewHex: '十六进制', showEol: '显示回车换行', encoding: '编码', paused: '已暂停，{n} 条新消息',
    send: '发送', sendTo: '发给', allClients: '全部客户端', hex: 'HEX', lineEnding: '行尾', none: '无',
    repeatEvery: '每隔（毫秒，0 = 只发一次）', times: '次数（0 = 一直发）', stopRepeat: '停止重复', repeating: '重复发送中：已发 {sent}',
    sendFile: '发送文件', history: '发送历史…', sendPlaceholder: '要发送的文字（Ctrl+Enter 发送）', hexPlaceholder: '十六进制字节，例如 01 ae ff',
    rx: '收', tx: '发', bytes: '字节', msgs: '条', rate: '速率（字节/秒，最近 60 秒）',
    oled: '虚拟 OLED（128×64）', oledMissing: '此版本未内置掌控板显示模型，因此不显示 OLED 图像。',
    rules: '自动回复规则', addRule: '添加规则', saveRules: '保存规则', rulesSaved: '规则已保存', when: '收到的数据', reply: '回复',
    m_equals: '等于', m_contains: '包含', m_regex: '匹配正则', m_hex: '包含十六进制', replyHex: '回复为十六进制',
    rulesHelp: '回复模板：{{counter}} 计数，{{time}} 时间，正则分组 {{1}}、{{name}}。',
    rename: '重命名', closeSession: '关闭这个会话？', sent: '已发送', fileProgress: '文件 {name}：{sent} / {total} 字节',
    badHex: '十六进制格式错误', error: '错误',
    historyView: '历史记录', back: '← 返回会话', historySearch: '在历史会话中搜索文字…', search: '搜索',
    kind: '类型', name: '名称', started: '开始时间', events: '事件', historyNone: '还没有记录（或没有匹配项）。',
  },
};

let lang = localStorage.getItem('socketlab.lang') || ((navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en');

export function getLang() { return lang; }

export function setLang(value) {
  lang = value === 'zh' ? 'zh' : 'en';
  localStorage.setItem('socketlab.lang', lang);
  applyTo(document);
}

export function t(key, vars) {
  let s = (strings[lang] && strings[lang][key]) ?? strings.en[key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll('{' + k + '}', String(v));
  return s;
}

/** Fills every element marked data-i18n (text), data-i18n-ph (placeholder) or data-i18n-title. */
export function applyTo(root) {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-ph]')) el.placeholder = t(el.dataset.i18nPh);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  document.title = t('title');
}
