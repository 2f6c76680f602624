// Fill each roll-call form with the phone's position before it can be sent.
(function () {
  var forms = document.querySelectorAll("form.rollcall");
  if (!forms.length || !navigator.geolocation) return;
  navigator.geolocation.getCurrentPosition(function (p) {
    forms.forEach(function (f) {
      f.latitude.value = p.coords.latitude;
      f.longitude.value = p.coords.longitude;
      f.accuracy_m.value = p.coords.accuracy;
      f.querySelector("[data-role=where]").textContent = "±" + Math.round(p.coords.accuracy) + " m";
      f.querySelector("button").disabled = false;
    });
  }, function (err) {
    forms.forEach(function (f) { f.querySelector("[data-role=where]").textContent = err.message; });
  }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 });
})();
