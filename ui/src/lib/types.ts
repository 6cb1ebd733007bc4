// Friendly names for the generated command types.
//
// The generator splits every type with optional fields in two: `Foo_Serialize`
// is what the backend sends (every field present, `T | null`) and
// `Foo_Deserialize` is what it accepts (optional fields may be left out). The UI
// reads the first kind and writes the second, so each name below is the side
// the UI actually deals with. Import types from here, never from the bindings.

import type {
  AddressInput_Deserialize,
  AddressOut_Serialize,
  AppError_Serialize,
  AppSettings_Serialize,
  CampaignSummary_Serialize,
  ChangeEntry_Serialize,
  CompetitorInput_Deserialize,
  CompetitorOut_Serialize,
  CustomFieldDef_Serialize,
  CustomValue_Deserialize,
  CustomValue_Serialize,
  FieldError_Serialize,
  IdentityDetail_Serialize,
  IdentityInput_Deserialize,
  IdentityQuery_Deserialize,
  IdentitySummary_Serialize,
  LineInput_Deserialize,
  LineOut_Serialize,
  OpportunityDetail_Serialize,
  OpportunityInput_Deserialize,
  RecordRow_Serialize,
  SettingsPatch_Deserialize,
  Stage_Serialize,
  StageChange_Serialize,
  SystemItem_Serialize,
} from "../bindings";

// ------------------------------------------------ sent by the backend (outputs)

export type AppError = AppError_Serialize;
export type FieldError = FieldError_Serialize;
export type AppSettings = AppSettings_Serialize;
export type IdentitySummary = IdentitySummary_Serialize;
export type IdentityDetail = IdentityDetail_Serialize;
export type AddressOut = AddressOut_Serialize;
export type SystemItem = SystemItem_Serialize;
export type CampaignSummary = CampaignSummary_Serialize;
export type ChangeEntry = ChangeEntry_Serialize;
export type OpportunityDetail = OpportunityDetail_Serialize;
export type CompetitorOut = CompetitorOut_Serialize;
export type CustomFieldDef = CustomFieldDef_Serialize;
export type CustomValueOut = CustomValue_Serialize;
export type RecordRow = RecordRow_Serialize;
export type Stage = Stage_Serialize;
export type StageChange = StageChange_Serialize;
export type LineOut = LineOut_Serialize;

// ------------------------------------------------ accepted by the backend (inputs)

export type IdentityInput = IdentityInput_Deserialize;
export type IdentityQuery = IdentityQuery_Deserialize;
export type AddressInput = AddressInput_Deserialize;
export type SettingsPatch = SettingsPatch_Deserialize;
export type OpportunityInput = OpportunityInput_Deserialize;
export type CompetitorInput = CompetitorInput_Deserialize;
export type CustomValue = CustomValue_Deserialize;
export type LineInput = LineInput_Deserialize;

// ------------------------------------------------ types with a single shape

export type {
  AppInfo,
  Calendar,
  ChangeAction,
  ChoiceOption,
  CustomFieldEntity,
  CustomFieldType,
  EmailInput,
  EmailOut,
  FieldChange,
  IdentityKind,
  IdentityRole,
  Language,
  Page,
  PhoneInput,
  PhoneKind,
  PhoneOut,
  RecordKind,
  RecordStatus,
  StageKind,
  SystemListKey,
  UserRole,
  UserSummary,
  ValidationCode,
} from "../bindings";

// ------------------------------------------------ administration (Settings)

import type {
  CampaignInput_Deserialize,
  CustomFieldInput_Deserialize,
  StageInput_Deserialize,
} from "../bindings";

export type StageInput = StageInput_Deserialize;
export type CustomFieldInput = CustomFieldInput_Deserialize;
export type CampaignInput = CampaignInput_Deserialize;
export type { SystemItemInput, UserInput, Pipeline } from "../bindings";
export type { PipelineInput_Deserialize as PipelineInput, StageMapping } from "../bindings";

// ------------------------------------------------ signing in

import type { Session_Serialize } from "../bindings";

/** Who is signed in, and what the sign-in screen shows (answers without a signed-in user). */
export type Session = Session_Serialize;
export type { DemoAccounts } from "../bindings";

// ------------------------------------------------ live team updates (events)

import type { ChangeRef_Serialize, RecordsChanged_Serialize } from "../bindings";

/** One changed record, as the records-changed event names it. */
export type ChangeRef = ChangeRef_Serialize;
/** Records this user may see were committed (by anyone, this window included). */
export type RecordsChanged = RecordsChanged_Serialize;
export type { ConnectionChanged, ReminderClicked } from "../bindings";

// ------------------------------------------------ where the app works

import type { SavedConnections_Serialize, ServerConnection_Serialize } from "../bindings";

/** A saved team server (its name, address, and who signed in there last). */
export type ServerConnection = ServerConnection_Serialize;
/** The saved team servers and the place chosen last. */
export type SavedConnections = SavedConnections_Serialize;
export type { Place, ServerInput, TlsMode } from "../bindings";

// ------------------------------------------------ products and financial records

import type {
  CategoryInput_Deserialize,
  Category_Serialize,
  FinancialDetail_Serialize,
  FinancialInput_Deserialize,
  ProductInput_Deserialize,
  ProductQuery_Deserialize,
  Product_Serialize,
  TotalsOut_Serialize,
} from "../bindings";

export type Category = Category_Serialize;
export type Product = Product_Serialize;
export type FinancialDetail = FinancialDetail_Serialize;
export type TotalsOut = TotalsOut_Serialize;
export type CategoryInput = CategoryInput_Deserialize;
export type ProductInput = ProductInput_Deserialize;
export type ProductQuery = ProductQuery_Deserialize;
export type FinancialInput = FinancialInput_Deserialize;
export type { ContractKind, DiscountKind, FinancialKind, PaymentMethod, ProductKind, UserPrefs } from "../bindings";

// ------------------------------------------------ reports

import type { ReportFilter_Deserialize, SalesStatus_Serialize, SourceBucket_Serialize, StageBucket_Serialize } from "../bindings";

export type ReportFilter = ReportFilter_Deserialize;
export type SalesStatus = SalesStatus_Serialize;
export type StageBucket = StageBucket_Serialize;
export type SourceBucket = SourceBucket_Serialize;

// ------------------------------------------------ settings

export type { NumberingTemplate } from "../bindings";

// ------------------------------------------------ reports: win / loss

import type { OutcomeGroup_Serialize, Outcomes_Serialize, WinLoss_Serialize } from "../bindings";

export type WinLoss = WinLoss_Serialize;
export type OutcomeGroup = OutcomeGroup_Serialize;
export type Outcomes = Outcomes_Serialize;

// ------------------------------------------------ the pipeline (list and board)

import type {
  BoardCell_Serialize,
  BoardRequest_Deserialize,
  BoardSummary_Serialize,
  BulkChange_Deserialize,
  CustomFilter_Deserialize,
  Lane_Serialize,
  LaneInfo_Serialize,
  ListPage_Serialize,
  ListRequest_Deserialize,
  ListTotals_Serialize,
  MoveInput_Deserialize,
  OpportunityFilter_Deserialize,
  OpportunityRow_Serialize,
} from "../bindings";

export type OpportunityFilter = OpportunityFilter_Deserialize;
export type CustomFilter = CustomFilter_Deserialize;
export type ListRequest = ListRequest_Deserialize;
export type ListPage = ListPage_Serialize;
export type ListTotals = ListTotals_Serialize;
export type OpportunityRow = OpportunityRow_Serialize;
export type BoardRequest = BoardRequest_Deserialize;
export type BoardSummary = BoardSummary_Serialize;
export type BoardCell = BoardCell_Serialize;
export type Lane = Lane_Serialize;
export type LaneInfo = LaneInfo_Serialize;
export type MoveInput = MoveInput_Deserialize;
export type BulkChange = BulkChange_Deserialize;
export type { BoardStage, BulkItem, BulkResult, ListColumn, SortKey } from "../bindings";

// ------------------------------------------------ reports: campaigns, durations, competitors, stages, forecast, dashboard

import type {
  CampaignRow_Serialize,
  CompetitorRow_Serialize,
  Dashboard_Serialize,
  DurationGroup_Serialize,
  DurationPair_Serialize,
  DurationStat_Serialize,
  Durations_Serialize,
  ForecastMonth_Serialize,
  OverdueRow_Serialize,
  StageFlow_Serialize,
  WonInPeriod_Serialize,
} from "../bindings";

export type CampaignRow = CampaignRow_Serialize;
export type Durations = Durations_Serialize;
export type DurationGroup = DurationGroup_Serialize;
export type DurationPair = DurationPair_Serialize;
export type DurationStat = DurationStat_Serialize;
export type CompetitorRow = CompetitorRow_Serialize;
export type StageFlow = StageFlow_Serialize;
export type ForecastMonth = ForecastMonth_Serialize;
export type Dashboard = Dashboard_Serialize;
export type WonInPeriod = WonInPeriod_Serialize;
export type OverdueRow = OverdueRow_Serialize;
// ------------------------------------------------ import and export (transfer)

import type {
  ExportRequest_Deserialize,
  ImportOptions_Serialize,
  ImportPreview_Serialize,
  ImportProblem_Serialize,
  ImportReport_Serialize,
  ValueChoice_Serialize,
  StagedImport_Serialize,
  FileValue_Serialize,
  ImportValues_Serialize,
} from "../bindings";

export type ImportProblem = ImportProblem_Serialize;
export type ImportReport = ImportReport_Serialize;
/** Every option spelled out: what the window sends, and what it is offered back. */
export type ImportOptions = ImportOptions_Serialize;
export type ImportPreview = ImportPreview_Serialize;
export type ValueChoice = ValueChoice_Serialize;
export type StagedImport = StagedImport_Serialize;
export type FileValue = FileValue_Serialize;
export type ImportValues = ImportValues_Serialize;
export type ExportRequest = ExportRequest_Deserialize;
export type {
  ColumnMapping,
  ExportFormat,
  ExportResult,
  ImportField,
  DateFormat,
  ImportIssue,
  ImportKind,
  TransferProgress,
  ValueTarget,
} from "../bindings";

// ------------------------------------------------ backups (this computer)

import type { BackupSettings_Serialize, RestoreResult_Serialize } from "../bindings";

export type BackupSettings = BackupSettings_Serialize;
export type RestoreResult = RestoreResult_Serialize;
export type { BackupInfo, BackupKind, RestoreStep } from "../bindings";

// ------------------------------------------------ follow-up: reminders, my day, comments, mentions

import type {
  ActivityReportRequest_Deserialize,
  ActivityReportRow_Serialize,
  Comment_Serialize,
  Mention_Serialize,
  Mentions_Serialize,
  MyDay_Serialize,
  OpportunityBrief_Serialize,
  Reminders_Serialize,
} from "../bindings";

export type Reminders = Reminders_Serialize;
/** A planned activity as the bell and "my day" show it. */
export type FollowUpActivity = Reminders_Serialize["due"][number];
export type MyDay = MyDay_Serialize;
export type OpportunityBrief = OpportunityBrief_Serialize;
export type Comment = Comment_Serialize;
export type Mentions = Mentions_Serialize;
export type Mention = Mention_Serialize;
export type ActivityReportRequest = ActivityReportRequest_Deserialize;
export type ActivityReportRow = ActivityReportRow_Serialize;
export type { CommentInput } from "../bindings";

// ------------------------------------------------ activities and the timeline

import type {
  Activity_Serialize,
  ActivityInput_Deserialize,
  ActivityQuery_Deserialize,
  TimelineItem_Serialize,
  TimelineRequest_Deserialize,
} from "../bindings";

export type Activity = Activity_Serialize;
export type TimelineItem = TimelineItem_Serialize;
export type ActivityInput = ActivityInput_Deserialize;
export type ActivityQuery = ActivityQuery_Deserialize;
export type TimelineRequest = TimelineRequest_Deserialize;
export type { ActivityKind, ActivityStatus, CallDirection, CallResult, TimelineKind } from "../bindings";

// ------------------------------------------------ the desktop program (folders, menu, handed files, updates)

import type { AvailableUpdate_Serialize, OpenedFile_Serialize, UpdateCheck_Serialize, UpdateStep_Deserialize } from "../bindings";

/** A file the system or a second launch handed over: an import staged for its preview, or a backup. */
export type OpenedFile = OpenedFile_Serialize;
export type UpdateCheck = UpdateCheck_Serialize;
export type AvailableUpdate = AvailableUpdate_Serialize;
/** A step of downloading an update, as the download's channel sends it. */
export type UpdateStep = UpdateStep_Deserialize;
export type { DesktopInfo, FileOpened, Folder, MenuAction, MenuChosen, OpenedKind } from "../bindings";
