// Placeholder home page: the business pages (vehicles, violations, payments) replace these entries.
Component({
  data: {
    services: [
      { key: 'vehicle', title: '机动车绑定', description: '绑定本人或他人名下车辆' },
      { key: 'violation', title: '电子监控违法处理', description: '查询并在线处理非现场违法' },
      { key: 'payment', title: '罚款缴纳', description: '在线缴纳罚款及滞纳金' },
    ],
    notice: '',
  },

  methods: {
    onStart() {
      this.setData({ notice: '业务办理即将开放，敬请期待' });
    },
  },
});
