/** j-component/src/tool/utils: the preview replaces transformRpx so inline rpx scales to the screen. */
declare const utils: {
  transformRpx(style: string, keepZero?: boolean): string;
};
export default utils;
