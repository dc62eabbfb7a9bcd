<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>Desktop</name>
    <message>
        <source>Payment Manager: monitors and inspects the transfers of a DFSP.</source>
        <translation>Payment Manager: supervisa e inspecciona las transferencias de un DFSP.</translation>
    </message>
    <message>
        <source>Show the transfer record (SQLite file) &lt;path&gt; instead of starting the Sandbox.</source>
        <translation>Mostrar el registro de transferencias (archivo SQLite) &lt;path&gt; en lugar de iniciar la Sandbox.</translation>
    </message>
    <message>
        <source>Do not start the Sandbox.</source>
        <translation>No iniciar la Sandbox.</translation>
    </message>
    <message>
        <source>Sandbox transfers per second (default 2).</source>
        <translation>Transferencias por segundo de la Sandbox (2 por defecto).</translation>
    </message>
    <message>
        <source>--rate: &apos;%1&apos; is not a number of transfers per second</source>
        <translation>--rate: «%1» no es un número de transferencias por segundo</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::ChartPanel</name>
    <message>
        <source>Chart. Drag to zoom into a time range, use the wheel or plus and minus to zoom, the arrow keys or the right mouse button to pan, and Home to reset.</source>
        <translation>Gráfico. Arrastre para ampliar un intervalo de tiempo, use la rueda o más y menos para ampliar, las flechas o el botón derecho del ratón para desplazarse e Inicio para restablecer.</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>Restablecer el zoom</translation>
    </message>
    <message>
        <source>Reset zoom of %1</source>
        <translation>Restablecer el zoom de %1</translation>
    </message>
    <message>
        <source>PNG…</source>
        <translation>PNG…</translation>
    </message>
    <message>
        <source>Export %1 as PNG</source>
        <translation>Exportar %1 como PNG</translation>
    </message>
    <message>
        <source>SVG…</source>
        <translation>SVG…</translation>
    </message>
    <message>
        <source>Export %1 as SVG</source>
        <translation>Exportar %1 como SVG</translation>
    </message>
    <message>
        <source>CSV…</source>
        <translation>CSV…</translation>
    </message>
    <message>
        <source>Export %1 as CSV</source>
        <translation>Exportar %1 como CSV</translation>
    </message>
    <message>
        <source>time (UTC)</source>
        <translation>hora (UTC)</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>Imagen PNG (*.png)</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>Imagen SVG (*.svg)</translation>
    </message>
    <message>
        <source>CSV file (*.csv)</source>
        <translation>Archivo CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>Exportar %1</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>La exportación ha fallado</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>No se pudo escribir %1.</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::ExportTexts</name>
    <message>
        <source>Transfer ID</source>
        <translation>ID de la transferencia</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Dirección</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado interno</translation>
    </message>
    <message>
        <source>Initiated (UTC)</source>
        <translation>Iniciada (UTC)</translation>
    </message>
    <message>
        <source>Completed (UTC)</source>
        <translation>Finalizada (UTC)</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Importe</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Moneda</translation>
    </message>
    <message>
        <source>Payer ID type</source>
        <translation>Tipo de ID del ordenante</translation>
    </message>
    <message>
        <source>Payer ID</source>
        <translation>ID del ordenante</translation>
    </message>
    <message>
        <source>Payer FSP</source>
        <translation>FSP del ordenante</translation>
    </message>
    <message>
        <source>Payee ID type</source>
        <translation>Tipo de ID del beneficiario</translation>
    </message>
    <message>
        <source>Payee ID</source>
        <translation>ID del beneficiario</translation>
    </message>
    <message>
        <source>Payee sub-ID</source>
        <translation>Sub-ID del beneficiario</translation>
    </message>
    <message>
        <source>Payee FSP</source>
        <translation>FSP del beneficiario</translation>
    </message>
    <message>
        <source>Home transaction ID</source>
        <translation>ID de transacción interna</translation>
    </message>
    <message>
        <source>Error code</source>
        <translation>Código de error</translation>
    </message>
    <message>
        <source>Error description</source>
        <translation>Descripción del error</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>no se puede escribir %1: %2</translation>
    </message>
    <message>
        <source>cannot write %1</source>
        <translation>no se puede escribir %1</translation>
    </message>
    <message>
        <source>export cancelled</source>
        <translation>exportación cancelada</translation>
    </message>
    <message>
        <source>more rows than a spreadsheet holds: narrow the search or export CSV</source>
        <translation>más filas de las que admite una hoja de cálculo: acote la búsqueda o exporte a CSV</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::FindPage</name>
    <message>
        <source>part of a transfer ID</source>
        <translation>parte de un ID de transferencia</translation>
    </message>
    <message>
        <source>Transfer ID contains</source>
        <translation>El ID de la transferencia contiene</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Cualquier fecha</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Última hora</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Últimas 24 horas</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Últimos 7 días</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Últimos 30 días</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>Intervalo personalizado</translation>
    </message>
    <message>
        <source>Date range</source>
        <translation>Intervalo de fechas</translation>
    </message>
    <message>
        <source>Initiated from</source>
        <translation>Iniciada desde</translation>
    </message>
    <message>
        <source>Initiated before</source>
        <translation>Iniciada antes del</translation>
    </message>
    <message>
        <source>Both directions</source>
        <translation>Ambas direcciones</translation>
    </message>
    <message>
        <source>Outbound (we pay)</source>
        <translation>Saliente (pagamos)</translation>
    </message>
    <message>
        <source>Inbound (we receive)</source>
        <translation>Entrante (recibimos)</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Dirección</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Cualquier estado</translation>
    </message>
    <message>
        <source>Successful</source>
        <translation>Correctas</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Pendientes</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fallidas</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Payee ID type</source>
        <translation>Tipo de ID del beneficiario</translation>
    </message>
    <message>
        <source>Payee ID value</source>
        <translation>Valor del ID del beneficiario</translation>
    </message>
    <message>
        <source>Payee sub-ID</source>
        <translation>Sub-ID del beneficiario</translation>
    </message>
    <message>
        <source>FSP ID</source>
        <translation>ID del FSP</translation>
    </message>
    <message>
        <source>Counterparty institution</source>
        <translation>Institución de la contraparte</translation>
    </message>
    <message>
        <source>e.g. USD</source>
        <translation>p. ej. USD</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Moneda</translation>
    </message>
    <message>
        <source>Minimum amount</source>
        <translation>Importe mínimo</translation>
    </message>
    <message>
        <source>min</source>
        <translation>mín.</translation>
    </message>
    <message>
        <source>Maximum amount</source>
        <translation>Importe máximo</translation>
    </message>
    <message>
        <source>max</source>
        <translation>máx.</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Buscar</translation>
    </message>
    <message>
        <source>Search transfers</source>
        <translation>Buscar transferencias</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>&amp;Limpiar</translation>
    </message>
    <message>
        <source>Clear the filters</source>
        <translation>Limpiar los filtros</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>Exportar a &amp;CSV…</translation>
    </message>
    <message>
        <source>Export the results as CSV</source>
        <translation>Exportar los resultados a CSV</translation>
    </message>
    <message>
        <source>Export &amp;XLSX…</source>
        <translation>Exportar a &amp;XLSX…</translation>
    </message>
    <message>
        <source>Export the results as an Excel workbook</source>
        <translation>Exportar los resultados a un libro de Excel</translation>
    </message>
    <message>
        <source>Transfer &amp;ID:</source>
        <translation>&amp;ID de la transferencia:</translation>
    </message>
    <message>
        <source>&amp;Date:</source>
        <translation>&amp;Fecha:</translation>
    </message>
    <message>
        <source>Di&amp;rection:</source>
        <translation>Di&amp;rección:</translation>
    </message>
    <message>
        <source>S&amp;tatus:</source>
        <translation>Es&amp;tado:</translation>
    </message>
    <message>
        <source>C&amp;ounterparty:</source>
        <translation>C&amp;ontraparte:</translation>
    </message>
    <message>
        <source>C&amp;urrency:</source>
        <translation>&amp;Moneda:</translation>
    </message>
    <message>
        <source>&amp;Payee ID type:</source>
        <translation>Tipo de ID del &amp;beneficiario:</translation>
    </message>
    <message>
        <source>Payee ID &amp;value:</source>
        <translation>&amp;Valor del ID:</translation>
    </message>
    <message>
        <source>Sub-I&amp;D:</source>
        <translation>Subi&amp;dentificador:</translation>
    </message>
    <message>
        <source>&amp;Amount:</source>
        <translation>&amp;Importe:</translation>
    </message>
    <message>
        <source>Search result count</source>
        <translation>Número de resultados</translation>
    </message>
    <message>
        <source>Transfers found</source>
        <translation>Transferencias encontradas</translation>
    </message>
    <message>
        <source>Cannot read the store: %1</source>
        <translation>No se puede leer el registro: %1</translation>
    </message>
    <message>
        <source>Date: the end must be after the start</source>
        <translation>Fecha: el final debe ser posterior al inicio</translation>
    </message>
    <message>
        <source>Amount: choose a currency to filter by amount</source>
        <translation>Importe: elija una moneda para filtrar por importe</translation>
    </message>
    <message>
        <source>Amount: &apos;%1&apos; is not an amount in %2</source>
        <translation>Importe: «%1» no es un importe en %2</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Buscando…</translation>
    </message>
    <message>
        <source>%1 transfers found, %2 loaded</source>
        <translation>%1 transferencias encontradas, %2 cargadas</translation>
    </message>
    <message>
        <source>%1 loaded, counting…</source>
        <translation>%1 cargadas, contando…</translation>
    </message>
    <message>
        <source>Export transfers</source>
        <translation>Exportar transferencias</translation>
    </message>
    <message>
        <source>CSV file (*.csv)</source>
        <translation>Archivo CSV (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Libro de Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>Exporting transfers…</source>
        <translation>Exportando transferencias…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportar</translation>
    </message>
    <message>
        <source>Export progress</source>
        <translation>Progreso de la exportación</translation>
    </message>
    <message>
        <source>Exported %1 transfers to %2</source>
        <translation>%1 transferencias exportadas a %2</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>La exportación ha fallado: %1</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::HealthPage</name>
    <message>
        <source>Overall connection health</source>
        <translation>Estado global de las conexiones</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Servicio</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado interno</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detalle</translation>
    </message>
    <message>
        <source>Last change</source>
        <translation>Último cambio</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Servicios</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Advertencia</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fallidas</translation>
    </message>
    <message>
        <source>Not configured</source>
        <translation>No configurado</translation>
    </message>
    <message>
        <source>Overall: %1</source>
        <translation>Global: %1</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::Labels</name>
    <message>
        <source>Not signed</source>
        <translation>Sin firmar</translation>
    </message>
    <message>
        <source>Signed; not verified here: no verification keys folder is set (Settings menu)</source>
        <translation>Firmado; no verificado aquí: no hay carpeta de claves de verificación (menú Configuración)</translation>
    </message>
    <message>
        <source>Signed; not verified: no key %1</source>
        <translation>Firmado; no verificado: no existe la clave %1</translation>
    </message>
    <message>
        <source>Signed; not verified: the key %1 does not load (%2)</source>
        <translation>Firmado; no verificado: la clave %1 no se carga (%2)</translation>
    </message>
    <message>
        <source>Invalid signature: %1 (FSPIOP %2)</source>
        <translation>Firma no válida: %1 (FSPIOP %2)</translation>
    </message>
    <message>
        <source>Valid signature (%1, %2 body) by %3</source>
        <translation>Firma válida (%1, cuerpo %2) de %3</translation>
    </message>
    <message>
        <source>No ILP packet recorded</source>
        <translation>No hay paquete ILP registrado</translation>
    </message>
    <message>
        <source>The ILP packet does not decode: %1</source>
        <translation>El paquete ILP no se puede decodificar: %1</translation>
    </message>
    <message>
        <source>Version: %1</source>
        <translation>Versión: %1</translation>
    </message>
    <message>
        <source>Amount (minor units): %1</source>
        <translation>Importe (unidades menores): %1</translation>
    </message>
    <message>
        <source>Account: %1</source>
        <translation>Cuenta: %1</translation>
    </message>
    <message>
        <source>Destination: %1</source>
        <translation>Destino: %1</translation>
    </message>
    <message>
        <source>Expires at: %1</source>
        <translation>Caduca el: %1</translation>
    </message>
    <message>
        <source>Transaction object:</source>
        <translation>Objeto de la transacción:</translation>
    </message>
    <message>
        <source>No transfer %1 in the store</source>
        <translation>No hay ninguna transferencia %1 en el registro</translation>
    </message>
    <message>
        <source>Outbound</source>
        <translation>Saliente</translation>
    </message>
    <message>
        <source>Inbound</source>
        <translation>Entrante</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Pendientes</translation>
    </message>
    <message>
        <source>Successful</source>
        <translation>Correctas</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fallidas</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Recibido</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Enviado</translation>
    </message>
    <message>
        <source>Party lookup</source>
        <translation>Búsqueda de la parte</translation>
    </message>
    <message>
        <source>Quote</source>
        <translation>Cotización</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Transferencia</translation>
    </message>
    <message>
        <source>No error code</source>
        <translation>Sin código de error</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::MainWindow</name>
    <message>
        <source>Payment Manager</source>
        <translation>Payment Manager</translation>
    </message>
    <message>
        <source>Product name</source>
        <translation>Nombre del producto</translation>
    </message>
    <message>
        <source>Connects your core banking system to a Mojaloop real-time payments hub.</source>
        <translation>Conecta su sistema bancario central con un hub de pagos en tiempo real Mojaloop.</translation>
    </message>
    <message>
        <source>No environment connected</source>
        <translation>Ningún entorno conectado</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>&amp;About Payment Manager</source>
        <translation>&amp;Acerca de Payment Manager</translation>
    </message>
    <message>
        <source>About Payment Manager</source>
        <translation>Acerca de Payment Manager</translation>
    </message>
    <message>
        <source>Payment Manager %1
Connects a DFSP to a Mojaloop hub.</source>
        <translation>Payment Manager %1
Conecta un DFSP con un hub Mojaloop.</translation>
    </message>
    <message>
        <source>&amp;Open a transfer record…</source>
        <translation>&amp;Abrir un registro de transferencias…</translation>
    </message>
    <message>
        <source>Open a transfer record file</source>
        <translation>Abrir un archivo de registro de transferencias</translation>
    </message>
    <message>
        <source>Portal pages</source>
        <translation>Páginas del portal</translation>
    </message>
    <message>
        <source>Connection &amp;health</source>
        <translation>Estado de las &amp;conexiones</translation>
    </message>
    <message>
        <source>Overall connection health</source>
        <translation>Estado global de las conexiones</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>Entorno</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Idioma del sistema</translation>
    </message>
    <message>
        <source>&amp;Open transfer record…</source>
        <translation>&amp;Abrir registro de transferencias…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>Transfers &amp;overview</source>
        <translation>&amp;Resumen de transferencias</translation>
    </message>
    <message>
        <source>&amp;Find a transfer</source>
        <translation>Buscar una tran&amp;sferencia</translation>
    </message>
    <message>
        <source>&amp;Technical dashboard</source>
        <translation>Panel &amp;técnico</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Configuración</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>JWS &amp;verification keys folder…</source>
        <translation>Carpeta de claves de &amp;verificación JWS…</translation>
    </message>
    <message>
        <source>Payment Manager — %1</source>
        <translation>Payment Manager — %1</translation>
    </message>
    <message>
        <source>Cannot open the transfer record: %1</source>
        <translation>No se puede abrir el registro de transferencias: %1</translation>
    </message>
    <message>
        <source>Transfer record</source>
        <translation>Registro de transferencias</translation>
    </message>
    <message>
        <source>Open a transfer record</source>
        <translation>Abrir un registro de transferencias</translation>
    </message>
    <message>
        <source>Transfer records (*.sqlite *.db);;All files (*)</source>
        <translation>Registros de transferencias (*.sqlite *.db);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Folder of the peers&apos; public keys (&lt;fspId&gt;.pem)</source>
        <translation>Carpeta de las claves públicas de los pares (&lt;fspId&gt;.pem)</translation>
    </message>
    <message>
        <source>The language changes when Payment Manager restarts.</source>
        <translation>El idioma cambia cuando Payment Manager se reinicia.</translation>
    </message>
    <message>
        <source>%1 — transfers finished in the last hour: %2</source>
        <translation>%1 — transferencias finalizadas en la última hora: %2</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>Restart Payment Manager now to use the new language?</source>
        <translation>¿Reiniciar Payment Manager ahora para usar el nuevo idioma?</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::OverviewPage</name>
    <message>
        <source>Last hour</source>
        <translation>Última hora</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Últimas 24 horas</translation>
    </message>
    <message>
        <source>Last week</source>
        <translation>Última semana</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Personalizada</translation>
    </message>
    <message>
        <source>Time window</source>
        <translation>Periodo</translation>
    </message>
    <message>
        <source>&amp;Window:</source>
        <translation>&amp;Periodo:</translation>
    </message>
    <message>
        <source>Custom window start</source>
        <translation>Inicio del periodo personalizado</translation>
    </message>
    <message>
        <source>Custom window end</source>
        <translation>Fin del periodo personalizado</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualizar</translation>
    </message>
    <message>
        <source>Refresh the overview</source>
        <translation>Actualizar el resumen</translation>
    </message>
    <message>
        <source>Overview status</source>
        <translation>Estado del resumen</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>to</source>
        <translation>hasta</translation>
    </message>
    <message>
        <source>Successful transfers</source>
        <translation>Transferencias correctas</translation>
    </message>
    <message>
        <source>Pending transfers</source>
        <translation>Transferencias pendientes</translation>
    </message>
    <message>
        <source>Failed transfers</source>
        <translation>Transferencias fallidas</translation>
    </message>
    <message>
        <source>Success rate</source>
        <translation>Tasa de éxito</translation>
    </message>
    <message>
        <source>Successful</source>
        <translation>Correctas</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Pendientes</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fallidas</translation>
    </message>
    <message>
        <source>Success rate per minute</source>
        <translation>Tasa de éxito por minuto</translation>
    </message>
    <message>
        <source>Average end-to-end time per minute</source>
        <translation>Tiempo medio de extremo a extremo por minuto</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Incidencia</translation>
    </message>
    <message>
        <source>Transfers</source>
        <translation>Transferencias</translation>
    </message>
    <message>
        <source>Error breakdown</source>
        <translation>Desglose de errores</translation>
    </message>
    <message>
        <source>Initiated</source>
        <translation>Iniciada</translation>
    </message>
    <message>
        <source>Transfer ID</source>
        <translation>ID de la transferencia</translation>
    </message>
    <message>
        <source>Counterparty</source>
        <translation>Contraparte</translation>
    </message>
    <message>
        <source>Latest errors</source>
        <translation>Últimos errores</translation>
    </message>
    <message>
        <source>&amp;View all errors</source>
        <translation>&amp;Ver todos los errores</translation>
    </message>
    <message>
        <source>View all failed transfers of the window</source>
        <translation>Ver todas las transferencias fallidas del periodo</translation>
    </message>
    <message>
        <source>Errors by type</source>
        <translation>Errores por tipo</translation>
    </message>
    <message>
        <source>Cannot read the store: %1</source>
        <translation>No se puede leer el registro: %1</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>Actualizado a las %1</translation>
    </message>
    <message>
        <source>Success rate (%)</source>
        <translation>Tasa de éxito (%)</translation>
    </message>
    <message>
        <source>Average end-to-end time (ms)</source>
        <translation>Tiempo medio de extremo a extremo (ms)</translation>
    </message>
    <message>
        <source>Percent</source>
        <translation>Porcentaje</translation>
    </message>
    <message>
        <source>Milliseconds</source>
        <translation>Milisegundos</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::SandboxTexts</name>
    <message>
        <source>stopped</source>
        <translation>detenida</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>iniciándose</translation>
    </message>
    <message>
        <source>running</source>
        <translation>en marcha</translation>
    </message>
    <message>
        <source>stopping</source>
        <translation>deteniéndose</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>con fallo</translation>
    </message>
    <message>
        <source>Sandbox: %1</source>
        <translation>Sandbox: %1 (entorno de pruebas)</translation>
    </message>
    <message>
        <source> — %1 transfers, %2 successful, %3 failed, %4/s</source>
        <translation> — %1 transferencias, %2 correctas, %3 fallidas, %4/s</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>Entorno</translation>
    </message>
    <message>
        <source>Sandbox running</source>
        <translation>Sandbox en marcha</translation>
    </message>
    <message>
        <source>JWS keys</source>
        <translation>Claves JWS</translation>
    </message>
    <message>
        <source>Certificates</source>
        <translation>Certificados</translation>
    </message>
    <message>
        <source>the Sandbox runs without TLS</source>
        <translation>la Sandbox funciona sin TLS</translation>
    </message>
    <message>
        <source>Hub</source>
        <translation>Hub de Mojaloop</translation>
    </message>
    <message>
        <source>Inbound server</source>
        <translation>Servidor entrante</translation>
    </message>
    <message>
        <source>Outbound server</source>
        <translation>Servidor saliente</translation>
    </message>
    <message>
        <source>Core connector</source>
        <translation>Conector del sistema central</translation>
    </message>
    <message>
        <source>Core banking system</source>
        <translation>Sistema bancario central</translation>
    </message>
    <message>
        <source>listening on %1:%2</source>
        <translation>escuchando en %1:%2</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::TechnicalPage</name>
    <message>
        <source>Last hour</source>
        <translation>Última hora</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Últimas 24 horas</translation>
    </message>
    <message>
        <source>Last week</source>
        <translation>Última semana</translation>
    </message>
    <message>
        <source>Time window</source>
        <translation>Periodo</translation>
    </message>
    <message>
        <source>&amp;Window:</source>
        <translation>&amp;Periodo:</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualizar</translation>
    </message>
    <message>
        <source>Refresh the technical dashboard</source>
        <translation>Actualizar el panel técnico</translation>
    </message>
    <message>
        <source>Dashboard status</source>
        <translation>Estado del panel</translation>
    </message>
    <message>
        <source>Requests per second</source>
        <translation>Solicitudes por segundo</translation>
    </message>
    <message>
        <source>requests/s</source>
        <translation>solicitudes/s</translation>
    </message>
    <message>
        <source>Average latency</source>
        <translation>Latencia media</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>Operación</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Dirección</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Solicitudes</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Errores</translation>
    </message>
    <message>
        <source>Average requests/s</source>
        <translation>Solicitudes/s medias</translation>
    </message>
    <message>
        <source>Average latency (ms)</source>
        <translation>Latencia media (ms)</translation>
    </message>
    <message>
        <source>Highest latency (ms)</source>
        <translation>Latencia máxima (ms)</translation>
    </message>
    <message>
        <source>Metrics summary</source>
        <translation>Resumen de métricas</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>Actualizado a las %1</translation>
    </message>
    <message>
        <source>Cannot read the store: %1</source>
        <translation>No se puede leer el registro: %1</translation>
    </message>
    <message>
        <source>inbound</source>
        <translation>entrante</translation>
    </message>
    <message>
        <source>outbound</source>
        <translation>saliente</translation>
    </message>
    <message>
        <source>Inbound</source>
        <translation>Entrante</translation>
    </message>
    <message>
        <source>Outbound</source>
        <translation>Saliente</translation>
    </message>
    <message>
        <source>Milliseconds</source>
        <translation>Milisegundos</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::TransferDetailsDialog</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Transfer %1</source>
        <translation>Transferencia %1</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>Transfer outcome</source>
        <translation>Resultado de la transferencia</translation>
    </message>
    <message>
        <source>Transfer details</source>
        <translation>Detalles de la transferencia</translation>
    </message>
    <message>
        <source>&amp;Details</source>
        <translation>&amp;Detalles</translation>
    </message>
    <message>
        <source>T&amp;erms</source>
        <translation>Con&amp;diciones</translation>
    </message>
    <message>
        <source>&amp;Parties</source>
        <translation>&amp;Partes</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copiar</translation>
    </message>
    <message>
        <source>Copy the %1 tab</source>
        <translation>Copiar la pestaña %1</translation>
    </message>
    <message>
        <source>Identifiers and decoded ILP packet</source>
        <translation>Identificadores y paquete ILP decodificado</translation>
    </message>
    <message>
        <source>FSPIOP messages</source>
        <translation>Mensajes FSPIOP</translation>
    </message>
    <message>
        <source>Message headers and body</source>
        <translation>Cabeceras y cuerpo del mensaje</translation>
    </message>
    <message>
        <source>Copy &amp;identifiers</source>
        <translation>Copiar los &amp;identificadores</translation>
    </message>
    <message>
        <source>Copy the identifiers and ILP packet</source>
        <translation>Copiar los identificadores y el paquete ILP</translation>
    </message>
    <message>
        <source>Copy &amp;message</source>
        <translation>Copiar el &amp;mensaje</translation>
    </message>
    <message>
        <source>Copy the selected message</source>
        <translation>Copiar el mensaje seleccionado</translation>
    </message>
    <message>
        <source>Identifiers and ILP packet</source>
        <translation>Identificadores y paquete ILP</translation>
    </message>
    <message>
        <source>&amp;Technical</source>
        <translation>&amp;Técnico</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>No store is open.</source>
        <translation>No hay ningún registro abierto.</translation>
    </message>
    <message>
        <source>%1 — %2 transfer, state %3</source>
        <translation>%1 — transferencia %2, estado %3</translation>
    </message>
    <message>
        <source>Error %1: %2</source>
        <translation>Error n.º %1: %2</translation>
    </message>
    <message>
        <source>(no code)</source>
        <translation>(sin código)</translation>
    </message>
    <message>
        <source>Transfer ID</source>
        <translation>ID de la transferencia</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Dirección</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado interno</translation>
    </message>
    <message>
        <source>Initiated</source>
        <translation>Iniciada</translation>
    </message>
    <message>
        <source>Last update</source>
        <translation>Última actualización</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Finalizada</translation>
    </message>
    <message>
        <source>End-to-end time</source>
        <translation>Tiempo de extremo a extremo</translation>
    </message>
    <message>
        <source>Home transaction ID</source>
        <translation>ID de transacción interna</translation>
    </message>
    <message>
        <source>Error code</source>
        <translation>Código de error</translation>
    </message>
    <message>
        <source>Error description</source>
        <translation>Descripción del error</translation>
    </message>
    <message>
        <source>Amount type</source>
        <translation>Tipo de importe</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Importe</translation>
    </message>
    <message>
        <source>Transfer amount</source>
        <translation>Importe de la transferencia</translation>
    </message>
    <message>
        <source>Payee receive amount</source>
        <translation>Importe que recibe el beneficiario</translation>
    </message>
    <message>
        <source>Payee FSP fee</source>
        <translation>Comisión del FSP del beneficiario</translation>
    </message>
    <message>
        <source>Payee FSP commission</source>
        <translation>Bonificación del FSP del beneficiario</translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation>Caducidad</translation>
    </message>
    <message>
        <source>Payer</source>
        <translation>Ordenante</translation>
    </message>
    <message>
        <source>Payee</source>
        <translation>Beneficiario</translation>
    </message>
    <message>
        <source>%1 name</source>
        <translation>Nombre (%1)</translation>
    </message>
    <message>
        <source>%1 ID type</source>
        <translation>Tipo de ID (%1)</translation>
    </message>
    <message>
        <source>%1 ID</source>
        <translation>ID (%1)</translation>
    </message>
    <message>
        <source>%1 sub-ID</source>
        <translation>Sub-ID (%1)</translation>
    </message>
    <message>
        <source>%1 institution</source>
        <translation>Institución (%1)</translation>
    </message>
    <message>
        <source>Transfer ID: %1</source>
        <translation>ID de la transferencia: %1</translation>
    </message>
    <message>
        <source>Quote ID: %1</source>
        <translation>ID de la cotización: %1</translation>
    </message>
    <message>
        <source>Transaction ID: %1</source>
        <translation>ID de la transacción: %1</translation>
    </message>
    <message>
        <source>Home transaction ID: %1</source>
        <translation>ID de transacción interna: %1</translation>
    </message>
    <message>
        <source>ILP condition: %1</source>
        <translation>Condición ILP: %1</translation>
    </message>
    <message>
        <source>ILP fulfilment: %1</source>
        <translation>Cumplimiento ILP: %1</translation>
    </message>
    <message>
        <source>ILP packet: %1</source>
        <translation>Paquete ILP: %1</translation>
    </message>
    <message>
        <source>Decoded ILP packet:</source>
        <translation>Paquete ILP decodificado:</translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation>Pasos:</translation>
    </message>
    <message>
        <source>HTTP %1 response</source>
        <translation>Respuesta HTTP %1</translation>
    </message>
    <message>
        <source>No FSPIOP messages are recorded for this transfer.</source>
        <translation>No hay mensajes FSPIOP registrados para esta transferencia.</translation>
    </message>
    <message>
        <source>Direction: %1</source>
        <translation>Dirección: %1</translation>
    </message>
    <message>
        <source>Time: %1</source>
        <translation>Hora: %1</translation>
    </message>
    <message>
        <source>HTTP status: %1</source>
        <translation>Estado HTTP: %1</translation>
    </message>
    <message>
        <source>JWS: %1</source>
        <translation>Firma JWS: %1</translation>
    </message>
    <message>
        <source>Headers:</source>
        <translation>Cabeceras:</translation>
    </message>
    <message>
        <source>Body:</source>
        <translation>Cuerpo:</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::TransferTableModel</name>
    <message>
        <source>Initiated</source>
        <translation>Iniciada</translation>
    </message>
    <message>
        <source>Transfer ID</source>
        <translation>ID de la transferencia</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Dirección</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Counterparty</source>
        <translation>Contraparte</translation>
    </message>
    <message>
        <source>Payee</source>
        <translation>Beneficiario</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Importe</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Moneda</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Incidencia</translation>
    </message>
</context>
</TS>
