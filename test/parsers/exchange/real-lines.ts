/**
 * Lines copied verbatim from ../shared/corpus/exchange/ (file and line number above each), so
 * that the parser tests run without the corpus checked out. Generated once by reading the files
 * as split2 does (LF, a trailing CR removed); never edited by hand.
 */

/** SMTP HAREDIRECTFAIL, 30 columns, no header (elastic_integrations_test-messagetracking.log line 1) */
export const ELASTIC_HAREDIRECTFAIL = "2024-01-25T15:16:09.843Z,,,,exchange-mail,No suitable shadow servers,,SMTP,HAREDIRECTFAIL,70971234566456,<20240124222112.B4AE1234EF@host01.my.domain.com>,2fd37dca-1234-5bfb-175d-08dc1db88f52,mailuser@my.domain.com,,15054,1,,,Undelivered Mail Returned to Sender,MAILER-DAEMON@host01.my.domain.com,root@host01.my.domain.com,,Incoming,,,,S:DeliveryPriority=Normal;S:OriginalFromAddress=root@host01.my.domain.com;S:AccountForest=my.domain.com,Email,dc69df25-1234-564c-41c4-08dc1db88f7f,15.02.0330.005";

/** SMTP RECEIVE on a Receive connector (elastic_integrations_test-messagetracking.log line 2) */
export const ELASTIC_RECEIVE = "2024-01-25T15:16:09.949Z,10.11.12.14,exchange-mail.my.domain.com,10.11.12.14,exchange-mail,08DC1DB12C345BE5;2024-01-25T15:16:09.544Z;0,exchange-mail\\Default exchange-mail,SMTP,RECEIVE,70912345566403,<20240123200014.123F425E28@host01.my.domain.com>,1e6eb197-c6b4-1234-1b69-56dc1db88f50,mailuser@my.domain.com,,7229,1,,,vzdump backup status (host01.my.domain.com): backup successful,root@host01.my.domain.com,root@host01.my.domain.com,0cA: ,Incoming,,10.11.12.13,10.11.12.14,S:ProxyHop1=exchange-mail.my.domain.com(10.11.12.14);S:MessageValue=MediumHigh;S:Replication=Failed;S:FirstForestHop=exchange-mail.my.domain.com;S:FromEntity=Internet;S:ProxiedClientIPAddress=10.11.12.13;S:ProxiedClientHostname=host01.my.domain.com;S:DeliveryPriority=Normal;S:AccountForest=my.domain.com,Email,05503123-c5b9-46fe-1234-56dc1db88f8f,15.02.0330.005";

/** SMTP SEND over the Intra-Organization SMTP Send Connector (hand-edited spacing `250 2.1.5Recipient OK`) (elastic_integrations_test-messagetracking.log line 4) */
export const ELASTIC_SEND = "2024-01-07T00:00:07.463Z,192.168.0.1,exchange,192.168.0.2,exchange.example.com,;250 2.0.0OK20240107001234.567E6224C8@monitor.example.com[Hostname=exchange.example.com];ClientSubmitTime:,Intra-Organization SMTP Send Connector,SMTP,SEND,29519319995411,20240107001234.567E6224C8@monitor.example.com,0b7099ea-cb95-1234-328e-08dc5f139ac8,uwe.musterman@example.com,250 2.1.5Recipient OK,38663,1,,,ein Titel,support@example.com,support@example.com,2024-01-07T00:00:05.535Z;LSRV=exchange.example.com:TOTAL-HUB=1.921|SMR=0.127(SMRDE=0.002|SMRC=0.125(SMRCL=0.105|X-SMRCR=0.125))|CAT=1.698(CATOS=0.018(CATSM=0.017(CATSM-Malware Agent=0.017))|CATRESL=0.004|CATORES=1.567(CATRS=1.566(CATRS-ScanMail Routing Agent=0.117|CATRS-Transport Rule Agent=0.002(X-ETREX=0.002)|CATRS-Index Routing Agent=1.444))|CATORT=0.108(CATRT=0.107(CATRT-Journal Agent=0.107)))|QDM=0.010|SMSC=0.006(X-SMSDR=0.011)|SMS=0.076(SMSMBXD=0.071),Originating,,,,S:E2ELatency=1.928;S:MsgRecipCount=1;S:IncludeInSla=True;S:Microsoft.Exchange.Transport.MailRecipient.RequiredTlsAuthLevel=Opportunistic;S:IsSmtpResponseFromExternalServer=False;S:DeliveryPriority=Normal;S:AccountForest=example.com,Email,a7ae9ef9-e10c-4111-19bf-08dc0f111bee,15.01.2507.035";

/** SMTP SENDEXTERNAL to Exchange Online, quoted source-context, return-path <> (elastic_integrations_test-messagetracking.log line 5) */
export const ELASTIC_SENDEXTERNAL = "2025-01-14T09:29:05.327Z,216.160.83.56,HELLOWORLD,175.16.199.1,global-mail-onmicrosoft-com.mail.protection.outlook.com,\";250 2.6.0 <1736846922.907742.2942@foo.bar.local> [InternalId=5450313518243, Hostname=AAAAAAAAAAAAA.bbbbbbbb.prod.outlook.com] 141301 bytes in 0.101, 1361.827 KB/sec Queued mail for delivery;ClientSubmitTime:\",Outbound to Office 365 - cb1ce4e7-cbb6-46e8-8a4c-e1f2efbdd202,SMTP,SENDEXTERNAL,8774618205228,<1736846922.907742.2942@foo.bar.local>,cb1ce4e7-cbb6-46e8-8a4c-e1f2efbdd202,email@email.com,250 2.1.5 Recipient OK,136349,1,,,John Doe,,<>,2025-01-14T09:28:50.814Z;SRV=HELLOWORLD.foo.example.com:TOTAL-FE=0.074|SMR=0.072(SMRPI=0.002(SMRPI-FrontendProxyAgent=0.002))|SMS=0.002;SRV=HELLOWORLD.foo.example.com:TOTAL-HUB=14.439|SMR=0.279(SMRDE=0.174|SMRC=0.105(SMRCL=0.105|X-SMRCR=0.016))|CAT=0.046(CATOS=0.018(CATSM=0.018(CATSM-Malware Agent=0.017))|CATRESL=0.003|CATORES=0.021(CATRS=0.021(CATRS-Prioritization Agent=0.002|CATRS-Index Routing Agent=0.017))|CATORT=0.002(CATRT=0.002(CATRT-CodeTwo Exchange Rules Transport Agent=0.001)))|QDE=13.818|SMS=0.291,Incoming,,,,S:E2ELatency=14.513;S:ExternalSendLatency=0.402;S:ToEntity=Internet;S:FromEntity=Internet;S:MsgRecipCount=1;S:IncludeInSla=True;S:Microsoft.Exchange.Transport.MailRecipient.RequiredTlsAuthLevel=DomainValidation;S:Microsoft.Exchange.Transport.MailRecipient.EffectiveTlsAuthLevel=DomainValidation;S:IsSmtpResponseFromExternalServer=True;S:DeliveryPriority=Normal;S:OriginalFromAddress=<>;S:AccountForest=wgs.wuerth.com,Email,82f8feae-ef9b-41bf-8500-1e10946655ae,15.01.2507.039";

/** STOREDRIVER NOTIFYMAPI (elastic_integrations_test-messagetracking.log line 6) */
export const ELASTIC_NOTIFYMAPI = "2025-01-14T09:28:39.334Z,2a02:cf40::0000:1234:5678:9abc,HELLOWORLD,,,\"MDB:f4adaa08-ff49-4bca-ba70-68e9b80597b0, Mailbox:84dd42d9-8814-4758-a8bb-e8765d62ec90, Event:190620893, MessageClass:IPM.Note, CreationTime:2025-01-14T09:28:39.321Z, ClientType:MOMT, SubmissionAssistant:MailboxTransportSubmissionEmailAssistant\",,STOREDRIVER,NOTIFYMAPI,,,,,,,,,,,email@email.com,,2025-01-14T09:28:39.321Z;LSRV=HELLOWORLD.foo.example.com:TOTAL-SUB=0.013|SA=0.013|MTSS-PEN=0.000,,,,,S:ItemEntryId=00-00-00-00-39-E7-E4-05-8C-C2-08-4C-AC-96-9A-D0-DE-C4-85-EE-07-00-D8-00-A6-A0-EC-B2-39-4D-BD-2F-31-4C-F7-4F-3F-4C-00-00-00-14-1A-99-00-00-46-7D-7B-CD-1B-EA-FC-40-9C-37-A9-7E-B0-DD-4C-16-00-08-65-53-76-46-00-00,,74364e3b-32b7-4108-9a2c-6dda84007459,15.01.2507.039";

/** STOREDRIVER NOTIFYMAPI under a 30-field #Fields header (Qazeer_artefacts.help_MSGTRKMS2022091915-1.LOG line 6) */
export const QAZEER_NOTIFYMAPI = "2022-09-19T15:02:29.339Z,fe80::1234:5678:4321:1010%3,SERVER-HOSTNAME,,,\"MDB:12345678-3232-2323-1111-12345679666, Mailbox:33345678-3232-2323-1111-08da9fd00918, Event:63779422, MessageClass:IPM.Note, CreationTime:2022-09-19T15:02:29.211Z, ClientType:MOMT, SubmissionAssistant:MailboxTransportSubmissionEmailAssistant\",,STOREDRIVER,NOTIFYMAPI,,,,,,,,,,,user.name1@domain.com,,2022-09-19T15:02:29.211Z;LSRV=XXX-MAIL.DOMAIN.TEST:TOTAL-SUB=0.128|SA=0.128|MTSS-PEN=0.000,,,,,S:ItemEntryId=00-XXX-00,,12345678-3232-2323-1111-12345679988,15.01.2375.007";

/** STOREDRIVER RECEIVE, internal-message-id 438, IPv6 with zone index (Qazeer_artefacts.help_MSGTRKMS2022091915-1.LOG line 7) */
export const QAZEER_RECEIVE = "2022-09-19T15:02:29.450Z,fe80::1234:5678:4321:1010,SERVER-HOSTNAME.DOMAIN.TEST,1234:5678:4321:1010%3,SERVER-HOSTNAME,\"MDB:12345678-3232-2323-1111-12345679987, Mailbox:33345678-3232-2323-1111-08da9fd00918, Event:63779422, MessageClass:IPM.Note, CreationTime:2022-09-19T15:02:29.211Z, ClientType:MOMT, SubmissionAssistant:MailboxTransportSubmissionEmailAssistant, ServerMdbConnectionId:08DA9806C5B670C1\",,STOREDRIVER,RECEIVE,438,<XXX@domain.com>,6a638d20-1e63-493a-80a2-08da9a4ff8da,user.name4@gmail.com,To,3750222,1,,,MAIL SUBJECT,user.name1@domain.com,user.name1@domain.com,04I: ,Originating,,95.11.22.33,fe80::1234:4545:3214:1010e%3,S:MailboxDatabaseGuid=12345678-3232-2323-1111-12345679987;S:ItemEntryId=00-00-XXX-00;S:DeliveryPriority=Normal;S:AccountForest=DOMAIN.TEST,Email,12345678-3232-2323-1111-12345679987,15.01.2375.007";

/** Exchange 2007 STOREDRIVER SUBMIT, 21 columns, no header (wallix_pylogsparser_MSExchange2007MessageTracking.log line 1) */
export const WALLIX_SUBMIT_2007 = "2010-04-19T12:29:07.390Z,10.10.14.73,WIN2K3DC,,WIN2K3DC,\"MDB:ada3d2c3-6f32-45db-b1ee-a68dbcc86664, Mailbox:68cf09c1-1344-4639-b013-3c6f8a588504, Event:1440, MessageClass:IPM.Note, CreationTime:2010-04-19T12:28:51.312Z, ClientType:User\",,STOREDRIVER,SUBMIT,,<C6539E897AEDFA469FE34D029FB708D43495@win2k3dc.qa.ifr.lan>,,,,,,,Coucou !,user7@qa.ifr.lan,,";

/** first header line, starting with the UTF-8 BOM (elastic_beats_bom8.log line 1) */
export const BOM8_SOFTWARE = "\ufeff#Software: Microsoft Exchange Server";

/** #Fields: of Exchange 2010, 26 names (elastic_beats_bom8.log line 5) */
export const BOM8_FIELDS_2010 = "#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data";

/** STOREDRIVER NOTIFYMAPI under the 2010 header (elastic_beats_bom8.log line 6) */
export const BOM8_NOTIFYMAPI = "2016-04-05T00:00:02.052Z,,,,,\"MDB:61914740-3f1b-4ddb-94e0-557196870cfa, Mailbox:279f077c-216f-4323-a9ee-48e50ffd3cad, Event:269492708, MessageClass:IPM.Note.StorageQuotaWarning.Warning, CreationTime:2016-04-05T00:00:01.022Z, ClientType:System\",,STOREDRIVER,NOTIFYMAPI,,,,,,,,,,,,,,,,,S:ItemEntryId=00-00-00-00-37-DB-F9-F9-B5-F2-42-4F-86-62-E6-5D-FC-0C-A1-41-07-00-0E-D6-03-16-80-DC-8C-44-9D-30-07-23-ED-71-B7-F7-00-00-1F-D4-B5-0E-00-00-2E-EF-F2-59-0E-E8-2D-46-BC-31-02-85-0D-67-98-43-00-00-37-4A-A3-B3-00-00";

/** Format-List of a ROUTING FAIL, RESOLVER.RST.AuthRequired, 2013 status wrapper, trimmed by the author (web_nauplius-blog_access-request-emails-failing-to-deliver.fl.log, all 12 lines) */
export const NAUPLIUS_FL: string[] = [
  "Get-MessageTrackingLog -Start \"3/29\" -End \"3/30\" | ?{$_.EventId -eq \"FAIL\"} | fl *",
  "",
  "...",
  "Source                  : ROUTING",
  "EventId                 : FAIL",
  "MessageId               : <eb7d49a841df41e39c7f84edf412a7a2@EXCH01.nauplius.local>",
  "Recipients              : {TestingGroup@nauplius.local}",
  "RecipientStatus         : {[{LRT=};{LED=550 5.7.1 RESOLVER.RST.AuthRequired; authentication required};{FQDN=};{IP=}]}",
  "TotalBytes              : 2690",
  "RecipientCount          : 1",
  "MessageSubject          : cuser79 wants to access 'Team'",
  "Sender                  : cuser79@nauplius.local",
];

/** Format-List of an AGENT FAIL by the Transport Rule Agent, wrapped MessageInfo, US local time (web_learn.microsoft.com_answers-347573_transport-rule-false-positive.fl.log, all 33 lines) */
export const TRANSPORT_RULE_FL: string[] = [
  "RunspaceId              : e939e06b-1823-4dbe-8803-8dafea667cef",
  "Timestamp               : 4/6/2021 2:46:03 PM",
  "ClientIp                :",
  "ClientHostname          : ***",
  "ServerIp                :",
  "ServerHostname          :",
  "SourceContext           : Transport Rule Agent",
  "ConnectorId             :",
  "Source                  : AGENT",
  "EventId                 : FAIL",
  "InternalMessageId       : 80762565034851",
  "MessageId               : ",
  "NetworkMessageId        : 8e9b967e-b07a-46d7-081f-08d8f8f9f041",
  "Recipients              : {***}",
  "RecipientStatus         : {[{LED=550 5.7.1 TRANSPORT.RULES.RejectMessage; the message was rejected by organization policy};{MSG=};{FQDN=};{IP=};{LRT=}]}",
  "TotalBytes              : 799707",
  "RecipientCount          : 1",
  "RelatedRecipientAddress :",
  "Reference               :",
  "MessageSubject          : ***",
  "Sender                  : ***",
  "ReturnPath              : ***",
  "Directionality          : Incoming",
  "TenantId                :",
  "OriginalClientIp        :",
  "MessageInfo             : 2021-04-06T12:46:03.426Z;SRV=***,TOTAL-HUB=0.453|SMR=0.209(SMRDI=0.049(SMREH=0.009(SMREH-Sender Filter",
  "                          Agent=0.007)|SMRED=0.001)|SMRC=0.159(SMRCL=0.159|X-SMRCR=0.156))|CAT-PEN=0.251(CATOS=0.007(CATSM=0.005(CATSM-Unified Group Post Sent Item Routing",
  "                          Agent=0.003))|CATRESL=0.002|CATORES-PEN=0.241(CATRS-PEN=0.241(CATRS-Transport Rule Agent-PEN=0.240)))",
  "MessageLatency          :",
  "MessageLatencyType      : None",
  "EventData               : {[E2ELatency, 0.453], [DeliveryPriority, Normal], [AccountForest, ***]}",
  "TransportTrafficType    : Email",
  "SchemaVersion           : 15.01.2176.009",
];

/** a Format-Table row, then Format-List of an SMTP FAIL by the Sender Id Agent, blank line after every property, day-first time (web_learn.microsoft.com_answers-1407358_exchange-2016-blocking-emails.fl.log, all 63 lines) */
export const SENDER_ID_FL: string[] = [
  "28/10/2023 20:18:34    FAIL             SMTP          email@microsoft.com       {******@yyy.com}                                        Thanks for your request",
  "",
  "RunspaceId              : 8da772ca-1784-4b02-a831-55867685f81c",
  "",
  "Timestamp               : 28/10/2023 20:18:34",
  "",
  "ClientIp                : 199.15.214.202",
  "",
  "ClientHostname          : xxx",
  "",
  "ServerIp                : x.x.x.x",
  "",
  "ServerHostname          :",
  "",
  "SourceContext           : Sender Id Agent",
  "",
  "ConnectorId             : xxx\\Default xxx",
  "",
  "Source                  : SMTP",
  "",
  "EventId                 : FAIL",
  "",
  "InternalMessageId       : 190838281863168",
  "",
  "MessageId               : ******@sjmktmail-trigger1d.marketo.org",
  "",
  "NetworkMessageId        : 196b3170-6f7d-4763-484d-08dbd7eaadff",
  "",
  "Recipients              : {******@xxx.com}",
  "",
  "RecipientStatus         : {[{LED=550 5.7.1 Sender ID (PRA) Not Permitted};{MSG=};{FQDN=};{IP=x.x.x.x};{LRT=}]}",
  "",
  "TotalBytes              : 0",
  "",
  "RecipientCount          : 1",
  "",
  "RelatedRecipientAddress :",
  "",
  "Reference               :",
  "",
  "MessageSubject          : Thanks for your request",
  "",
  "Sender                  : email@microsoft.com",
  "",
  "ReturnPath              : ******@bounce4.email.microsoft.com",
  "",
  "Directionality          : Incoming",
  "",
  "TenantId                :",
  "",
  "OriginalClientIp        :",
  "",
  "MessageInfo             :",
  "",
  "MessageLatency          :",
  "",
  "MessageLatencyType      : None",
  "",
  "EventData               : {[ToEntity, Unknown], [FromEntity, Internet], [DeliveryPriority, Normal], [OriginalFromAddress, ******@bounce4.email.microsoft.com], [AccountForest, xxxcom]}",
  "",
  "TransportTrafficType    : Email",
  "",
  "SchemaVersion           : 15.01.2507.034",
];

