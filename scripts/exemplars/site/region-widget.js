/* The story's `region` in the web form (/admin/): a province <select> plus a text box for the lower levels
   ("湖州市/安吉县"), stored as the one string the checker reads ("浙江省/湖州市/安吉县").
   Written for Decap's page globals (window.CMS, window.h = React.createElement, window.createClass): no build
   step. The province list comes from config.yml (the field's `provinces`, generated from regions.py), never from
   this file. A same-origin file, because /admin/'s policy allows no inline script. */
(function () {
  "use strict";
  var CMS = window.CMS, h = window.h, createClass = window.createClass;
  if (!CMS || !h || !createClass) {
    return;
  }

  // "浙江省/湖州市/安吉县" -> ["浙江省", "湖州市/安吉县"]; whatever the file held comes back unchanged by join().
  function split(value) {
    var text = typeof value === "string" ? value : "";
    var cut = text.indexOf("/");
    return cut < 0 ? [text, ""] : [text.slice(0, cut), text.slice(cut + 1)];
  }

  function join(province, lower) {
    return lower ? province + "/" + lower : province;
  }

  var RegionControl = createClass({
    provinces: function () {
      var list = this.props.field.get("provinces");
      return list && list.toJS ? list.toJS() : [];
    },
    changeProvince: function (event) {
      this.props.onChange(join(event.target.value, split(this.props.value)[1]));
    },
    changeLower: function (event) {
      this.props.onChange(join(split(this.props.value)[0], event.target.value));
    },
    render: function () {
      var parts = split(this.props.value), provinces = this.provinces(), id = this.props.forID;
      var options = [h("option", { key: "", value: "" }, "请选择省级地区")];
      if (parts[0] && provinces.indexOf(parts[0]) < 0) {  // keep an unknown first level visible, never drop it
        options.push(h("option", { key: "unknown", value: parts[0] }, parts[0] + "（不是省级全称）"));
      }
      provinces.forEach(function (name) {
        options.push(h("option", { key: name, value: name }, name));
      });
      var focus = { onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle };
      return h("div", { className: this.props.classNameWrapper, style: { display: "flex", gap: "8px" } },
        h("select", Object.assign({ id: id, value: parts[0], onChange: this.changeProvince,
                                    "aria-label": "省级地区",
                                    style: { flex: "0 0 auto", font: "inherit", padding: "4px" } }, focus), options),
        h("input", Object.assign({ id: id + "-lower", type: "text", value: parts[1], onChange: this.changeLower,
                                   placeholder: "下级地区，如 湖州市/安吉县", "aria-label": "下级地区",
                                   style: { flex: "1 1 auto", minWidth: "0", font: "inherit", padding: "4px 8px",
                                            border: "1px solid #dfdfe3", borderRadius: "4px" } }, focus)));
    },
  });

  var RegionPreview = createClass({
    render: function () {
      return h("p", {}, typeof this.props.value === "string" ? this.props.value : "");
    },
  });

  CMS.registerWidget("region", RegionControl, RegionPreview);
})();
