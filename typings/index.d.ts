// Ambient types of the mini program (checked by miniprogram/tsconfig.json, which also loads
// miniprogram-api-typings through `types`). Not seen by the server or test programs.

/** What `App<IAppOption>()` registers and `getApp<IAppOption>()` returns. */
interface IAppOption {
  globalData: {
    /** The cloud environment `wx.cloud.init` was given. */
    cloudEnv: string;
    /** 关怀模式 as last read at launch or return to the foreground (pages read it themselves through careBehavior). */
    care: boolean;
  };
}
